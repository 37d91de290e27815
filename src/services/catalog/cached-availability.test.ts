import { describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import { createCachedAvailability } from './cached-availability.js';
import type { AvailabilityReader } from './product-view.js';

/**
 * Inventory as its `available` contract describes it (unknown variants answer 0), reading a Map and
 * recording every call: what is under test is how often and with what the cache asks.
 */
function recordingInventory(stock = new Map<string, number>()) {
  const calls: string[][] = [];
  let failNext = false;
  let gate: Promise<void> | undefined;
  const reader: AvailabilityReader = {
    async available(ids) {
      calls.push([...ids]);
      if (failNext) {
        failNext = false;
        throw new Error('inventory unreachable');
      }
      if (gate) await gate;
      return new Map(ids.map((id) => [id, stock.get(id) ?? 0]));
    },
  };
  return {
    reader,
    stock,
    calls,
    failOnce: () => (failNext = true),
    /** calls wait until the returned function is called */
    hold: () => {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return () => {
        gate = undefined;
        open();
      };
    },
  };
}

const ids = (n: number) => Array.from({ length: n }, () => uuidv7());
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('cached availability', () => {
  it('when concurrent requests miss in the same turn, then inventory is asked once for all their variants, and not again within the ttl', async () => {
    const inventory = recordingInventory();
    const [a, b, c] = ids(3) as [string, string, string];
    inventory.stock.set(a, 4).set(c, 9);
    const cached = createCachedAvailability({ inventory: inventory.reader, ttlMs: 60_000 });
    const [first, second] = await Promise.all([cached.available([a, b]), cached.available([b, c, c])]);
    expect(inventory.calls).toEqual([[a, b, c]]);
    expect(first).toEqual(new Map([[a, 4], [b, 0]]));
    expect(second).toEqual(new Map([[b, 0], [c, 9]]));
    inventory.stock.set(a, 1);
    expect(await cached.available([c, a])).toEqual(new Map([[c, 9], [a, 4]]));
    expect(inventory.calls).toHaveLength(1);
  });

  it('when the ttl has passed, then the next request asks inventory again and shows the new figure', async () => {
    const inventory = recordingInventory();
    const [a] = ids(1) as [string];
    inventory.stock.set(a, 4);
    const cached = createCachedAvailability({ inventory: inventory.reader, ttlMs: 40 });
    expect((await cached.available([a])).get(a)).toBe(4);
    inventory.stock.set(a, 3);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await cached.available([a])).get(a)).toBe(3);
    expect(inventory.calls).toEqual([[a], [a]]);
  });

  it('when a variant is already being loaded, then a later request waits for that load and asks only for the others', async () => {
    const inventory = recordingInventory();
    const [a, b, c] = ids(3) as [string, string, string];
    inventory.stock.set(b, 5);
    const cached = createCachedAvailability({ inventory: inventory.reader, ttlMs: 60_000 });
    const open = inventory.hold();
    const first = cached.available([a, b]);
    await nextTurn();
    const second = cached.available([b, c]);
    await nextTurn();
    open();
    expect(await first).toEqual(new Map([[a, 0], [b, 5]]));
    expect(await second).toEqual(new Map([[b, 5], [c, 0]]));
    expect(inventory.calls).toEqual([[a, b], [c]]);
  });

  it('when inventory fails, then every waiting request gets the error, nothing is cached, and the next request asks again', async () => {
    const inventory = recordingInventory();
    const [a, b] = ids(2) as [string, string];
    inventory.stock.set(a, 2);
    const cached = createCachedAvailability({ inventory: inventory.reader, ttlMs: 60_000 });
    inventory.failOnce();
    const answers = await Promise.allSettled([cached.available([a]), cached.available([a, b])]);
    expect(answers.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await cached.available([a, b])).toEqual(new Map([[a, 2], [b, 0]]));
    expect(inventory.calls).toEqual([[a, b], [a, b]]);
  });

  it('when more variants miss at once than one call should carry, then they go in calls of at most 500', async () => {
    const inventory = recordingInventory();
    const many = ids(1_200);
    const cached = createCachedAvailability({ inventory: inventory.reader, ttlMs: 60_000 });
    expect((await cached.available(many)).size).toBe(1_200);
    expect(inventory.calls.map((c) => c.length)).toEqual([500, 500, 200]);
    expect(new Set(inventory.calls.flat())).toEqual(new Set(many));
  });

  it('when a figure is loaded, then the figures read lately and past half their ttl come along in the same call', async () => {
    const inventory = recordingInventory();
    const [a, b, c, d] = ids(4) as [string, string, string, string];
    let clock = 0;
    // a ttl of a minute the test never reaches on the cache's own clock: the injected one says what is past half of
    // it (30 s) and what was read lately (within four ttls: 240 s)
    const cached = createCachedAvailability({ inventory: inventory.reader, ttlMs: 60_000, now: () => clock });
    await cached.available([a]);
    clock = 20_000;
    await cached.available([b]); // a is not yet past half its ttl
    clock = 31_000;
    inventory.stock.set(a, 9);
    await cached.available([c]); // now it is: refreshed with c's load; b is not yet
    expect(inventory.calls).toEqual([[a], [b], [c, a]]);
    // the early refresh is what the next read shows, with no call of its own
    expect((await cached.available([a])).get(a)).toBe(9);
    expect(inventory.calls).toHaveLength(3);
    // read lately, figures keep coming along with other loads; one nobody has read for four ttls does not
    clock = 250_000;
    await cached.available([a]);
    clock = 300_000;
    await cached.available([d]);
    expect(inventory.calls.at(-1)).toEqual([d, a]);
  });

  it('when figures come along with a load, then the call still carries at most 500', async () => {
    const inventory = recordingInventory();
    const many = ids(600);
    let clock = 0;
    const cached = createCachedAvailability({ inventory: inventory.reader, ttlMs: 60_000, now: () => clock });
    await cached.available(many.slice(0, 450));
    clock = 31_000;
    await cached.available(many.slice(450));
    expect(inventory.calls.map((call) => call.length)).toEqual([450, 500]);
    expect(new Set(inventory.calls[1]).size).toBe(500);
  });

  it('when the ttl is 0, then every request asks inventory', async () => {
    const inventory = recordingInventory();
    const [a] = ids(1) as [string];
    const cached = createCachedAvailability({ inventory: inventory.reader, ttlMs: 0 });
    await cached.available([a]);
    inventory.stock.set(a, 8);
    expect((await cached.available([a])).get(a)).toBe(8);
    expect(inventory.calls).toHaveLength(2);
  });

  it('when figures are read twice, then hits and misses are counted under the catalog-availability cache', async () => {
    const metrics = createMetrics('catalog-test');
    const cached = createCachedAvailability({ inventory: recordingInventory().reader, ttlMs: 60_000, metrics });
    const some = ids(3);
    await cached.available(some);
    await cached.available(some);
    const values = (await metrics.registry.getSingleMetric('floodgate_cache_requests_total')!.get()).values;
    const count = (result: string) => values.find((v) => v.labels.cache === 'catalog-availability' && v.labels.result === result)?.value;
    expect([count('miss'), count('hit')]).toEqual([3, 3]);
  });
});
