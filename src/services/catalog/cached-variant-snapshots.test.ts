import { describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { createCachedVariantSnapshots } from './cached-variant-snapshots.js';
import { CatalogTags } from './catalog-page-invalidation.js';
import type { VariantSnapshot } from './contract/catalog-client.js';

const snapshot = (productId: string, amount: number): VariantSnapshot => ({
  id: uuidv7(),
  productId,
  sku: `SKU-${amount}`,
  title: 'One size',
  productName: 'Mug',
  price: { amount, currency: 'USD' },
  purchasable: true,
});

/** the store as getVariants answers (unknown ids absent), recording every call; `hold` makes calls wait */
function recordingStore(known: VariantSnapshot[]) {
  const byId = new Map(known.map((v) => [v.id, v]));
  const calls: string[][] = [];
  let gate: Promise<void> | undefined;
  return {
    byId,
    calls,
    // read when called, answered when let go: what a query that read before a commit returns
    load: async (ids: readonly string[]) => {
      calls.push([...ids]);
      const found = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
      await gate;
      return found;
    },
    hold() {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return () => {
        gate = undefined;
        open();
      };
    },
  };
}

/** what the shared page level offers: other processes' invalidations, delivered by the test */
function invalidationChannel() {
  const handlers: Array<(tags: readonly string[] | 'all') => void> = [];
  return {
    onInvalidation: (h: (tags: readonly string[] | 'all') => void) => void handlers.push(h),
    deliver: (tags: readonly string[] | 'all') => handlers.forEach((h) => h(tags)),
  };
}

describe('cached variant snapshots', () => {
  const productA = uuidv7();
  const productB = uuidv7();

  it('when variants are asked for again, then only the ones never loaded reach the store, and one turn of misses is one call', async () => {
    const a = snapshot(productA, 100);
    const b = snapshot(productB, 200);
    const store = recordingStore([a, b]);
    const cached = createCachedVariantSnapshots({ load: store.load, ttlMs: 60_000 });
    const unknown = uuidv7();
    const [first, second] = await Promise.all([cached.get([a.id, unknown]), cached.get([b.id, 'not-an-id'])]);
    expect(first).toEqual([a]);
    expect(second).toEqual([b]);
    expect(store.calls).toEqual([[a.id, unknown, b.id]]);
    expect(await cached.get([b.id, a.id, unknown, a.id.toUpperCase()])).toEqual([b, a]);
    expect(store.calls).toHaveLength(1);
  });

  it('when a product changes here, then its variants are loaded again and other products stay cached', async () => {
    const a = snapshot(productA, 100);
    const b = snapshot(productB, 200);
    const store = recordingStore([a, b]);
    const cached = createCachedVariantSnapshots({ load: store.load, ttlMs: 60_000 });
    await cached.get([a.id, b.id]);
    store.byId.set(a.id, { ...a, price: { amount: 150, currency: 'USD' } });
    store.byId.set(b.id, { ...b, price: { amount: 250, currency: 'USD' } });
    cached.drop([CatalogTags.product(productA), CatalogTags.lists]);
    expect((await cached.get([a.id, b.id])).map((v) => v.price.amount)).toEqual([150, 200]);
    expect(store.calls.at(-1)).toEqual([a.id]);
  });

  it('when another process announces a change, or that announcements may have been missed, then the affected variants are loaded again', async () => {
    const a = snapshot(productA, 100);
    const b = snapshot(productB, 200);
    const store = recordingStore([a, b]);
    const channel = invalidationChannel();
    const cached = createCachedVariantSnapshots({ load: store.load, ttlMs: 60_000, invalidations: channel });
    await cached.get([a.id, b.id]);
    channel.deliver([CatalogTags.product(productB)]);
    await cached.get([a.id, b.id]);
    expect(store.calls.at(-1)).toEqual([b.id]);
    channel.deliver('all');
    await cached.get([a.id, b.id]);
    expect(store.calls.at(-1)).toEqual([a.id, b.id]);
    expect(store.calls).toHaveLength(3);
  });

  it('when a change lands while a load is reading, then what that load read is answered but not kept', async () => {
    const a = snapshot(productA, 100);
    const store = recordingStore([a]);
    const cached = createCachedVariantSnapshots({ load: store.load, ttlMs: 60_000 });
    const release = store.hold();
    const reading = cached.get([a.id]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.calls).toHaveLength(1);
    store.byId.set(a.id, { ...a, price: { amount: 175, currency: 'USD' } });
    cached.drop([CatalogTags.product(productA)]);
    release();
    expect((await reading).map((v) => v.price.amount)).toEqual([100]);
    expect((await cached.get([a.id])).map((v) => v.price.amount)).toEqual([175]);
    expect(store.calls).toHaveLength(2);
  });

  it('when any product changes, then ids the catalog did not know are asked for again, and known ones of other products are not', async () => {
    const a = snapshot(productA, 100);
    const store = recordingStore([a]);
    const cached = createCachedVariantSnapshots({ load: store.load, ttlMs: 60_000 });
    const later = snapshot(productB, 300);
    expect(await cached.get([a.id, later.id])).toEqual([a]);
    store.byId.set(later.id, later);
    expect(await cached.get([later.id])).toEqual([]);
    cached.drop([CatalogTags.product(productB), CatalogTags.lists]);
    expect(await cached.get([a.id, later.id])).toEqual([a, later]);
    expect(store.calls).toEqual([[a.id, later.id], [later.id]]);
  });

  it('when no change drops a snapshot, then it is loaded again once its ttl has passed', async () => {
    const a = snapshot(productA, 100);
    const store = recordingStore([a]);
    let now = 1_000_000;
    const cached = createCachedVariantSnapshots({ load: store.load, ttlMs: 10_000, now: () => now });
    await cached.get([a.id]);
    now += 8_000;
    await cached.get([a.id]);
    expect(store.calls).toHaveLength(1);
    now += 4_000;
    await cached.get([a.id]);
    expect(store.calls).toHaveLength(2);
  });
});
