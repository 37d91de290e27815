import { createTestAuditLog } from '../../../test/support/audit.js';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../platform/bus/event-bus.js';
import { createInProcessEventBus } from '../../platform/bus/in-process-event-bus.js';
import { type Database } from '../../platform/db/database.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import { InventoryEvents } from './contract/events.js';
import { createInventoryService, inventoryMigrations, type InventoryService } from './index.js';
import { createTestEnvelope } from '../../../test/support/envelope.js';
import { createMigratedPglite } from '../../../test/support/databases.js';

describe('inventory service client', () => {
  let db: Database;
  let inventory: InventoryService;
  let now = new Date('2030-01-01T00:00:00Z');
  const published: DomainEvent[] = [];

  beforeAll(async () => {
    db = await createMigratedPglite([inventoryMigrations]);
    const bus = createInProcessEventBus();
    for (const type of Object.values(InventoryEvents)) bus.subscribe(type, 'test', async (e) => void published.push(e));
    inventory = createInventoryService({ db, bus, audit: await createTestAuditLog(db), logger: pino({ level: 'silent' }), metrics: createMetrics('test'), envelope: createTestEnvelope(), clock: () => now });
  });
  afterAll(async () => {
    await Promise.all((inventory.workers ?? []).map((w) => w.stop()));
    await db.close();
  });

  const stocked = async (onHand: number) => {
    const variantId = uuidv7();
    await inventory.setStock([{ variantId, onHand }]);
    return variantId;
  };

  it('when lines repeat a variant, then they are held as one line of the summed quantity', async () => {
    const a = await stocked(5);
    const result = await inventory.client.reserve({ reference: uuidv7(), lines: [{ variantId: a, quantity: 2 }, { variantId: a, quantity: 3 }], ttlMs: 60_000 });
    expect(result).toMatchObject({ ok: true, expiresAt: new Date(now.getTime() + 60_000) });
    expect(await inventory.client.available([a])).toEqual(new Map([[a, 0]]));
  });

  it('when lines name one variant in two spellings of its uuid, then they are held as one line', async () => {
    const a = await stocked(5);
    const result = await inventory.client.reserve({ reference: uuidv7(), lines: [{ variantId: a, quantity: 2 }, { variantId: a.toUpperCase(), quantity: 3 }], ttlMs: 60_000 });
    expect(result).toMatchObject({ ok: true });
    expect(await inventory.client.available([a])).toEqual(new Map([[a, 0]]));
    const more = await inventory.client.reserve({ reference: uuidv7(), lines: [{ variantId: a.toUpperCase(), quantity: 1 }, { variantId: a, quantity: 1 }], ttlMs: 60_000 });
    expect(more).toMatchObject({ ok: false, code: 'INVENTORY_INSUFFICIENT', available: 0 });
  });

  it('when the summed lines exceed the stock, then nothing is held', async () => {
    const a = await stocked(4);
    const result = await inventory.client.reserve({ reference: uuidv7(), lines: [{ variantId: a, quantity: 2 }, { variantId: a, quantity: 3 }], ttlMs: 60_000 });
    expect(result).toEqual({ ok: false, code: 'INVENTORY_INSUFFICIENT', variantId: a, available: 4 });
  });

  it('when ids are malformed or unknown, then they read as unknown instead of failing', async () => {
    const result = await inventory.client.reserve({ reference: uuidv7(), lines: [{ variantId: 'not-a-uuid', quantity: 1 }], ttlMs: 60_000 });
    expect(result).toEqual({ ok: false, code: 'INVENTORY_INSUFFICIENT', variantId: 'not-a-uuid', available: 0 });
    expect(await inventory.client.commit('not-a-uuid')).toEqual({ ok: false, code: 'RESERVATION_NOT_FOUND' });
    await expect(inventory.client.release('not-a-uuid', 'x')).resolves.toBeUndefined();
    const ghost = uuidv7();
    expect(await inventory.client.available(['nope', ghost])).toEqual(new Map([['nope', 0], [ghost, 0]]));
  });

  it('when a quantity is not a positive integer, then the call is rejected as a caller bug', async () => {
    const a = await stocked(4);
    for (const quantity of [0, -1, 1.5, Number.NaN]) {
      await expect(inventory.client.reserve({ reference: uuidv7(), lines: [{ variantId: a, quantity }], ttlMs: 1_000 })).rejects.toThrow(RangeError);
    }
    await expect(inventory.client.reserve({ reference: uuidv7(), lines: [], ttlMs: 1_000 })).rejects.toThrow(RangeError);
    expect(await inventory.client.available([a])).toEqual(new Map([[a, 4]]));
  });

  it('when the clock passes a hold’s expiry, then expireNow releases it and the relay publishes both events', async () => {
    const a = await stocked(3);
    const hold = await inventory.client.reserve({ reference: 'order-expiring', lines: [{ variantId: a, quantity: 3 }], ttlMs: 5_000 });
    if (!hold.ok) throw new Error('expected a hold');
    expect(await inventory.expireNow()).toBe(0);
    now = new Date(now.getTime() + 5_000);
    expect(await inventory.expireNow()).toBeGreaterThanOrEqual(1);
    expect(await inventory.client.available([a])).toEqual(new Map([[a, 3]]));
    expect(await inventory.client.commit(hold.reservationId)).toEqual({ ok: false, code: 'RESERVATION_RELEASED' });

    const relay = inventory.workers!.find((w) => w.name === 'inventory-outbox-relay') as unknown as { drainOnce(): Promise<number> };
    await relay.drainOnce();
    const mine = published.filter((e) => (e.payload as { reservationId: string }).reservationId === hold.reservationId);
    expect(mine.map((e) => e.type)).toEqual([InventoryEvents.reservationExpired, InventoryEvents.stockReleased]);
    expect(mine[1]?.payload).toEqual({ reservationId: hold.reservationId, reference: 'order-expiring', reason: 'expired', lines: [{ variantId: a, quantity: 3 }] });
  });

  it('when a committed sale is restocked twice with one reference, then the units come back once', async () => {
    const a = await stocked(5);
    const hold = await inventory.client.reserve({ reference: uuidv7(), lines: [{ variantId: a, quantity: 2 }], ttlMs: 60_000 });
    if (!hold.ok) throw new Error('expected a hold');
    await inventory.client.commit(hold.reservationId);
    await inventory.client.restock({ reference: 'cancel-1', lines: [{ variantId: a, quantity: 2 }] });
    await inventory.client.restock({ reference: 'cancel-1', lines: [{ variantId: a, quantity: 2 }] });
    expect(await inventory.client.available([a])).toEqual(new Map([[a, 5]]));
  });

  it('when the workers run, then a released hold’s event reaches subscribers without a manual drain', async () => {
    const a = await stocked(2);
    const hold = await inventory.client.reserve({ reference: uuidv7(), lines: [{ variantId: a, quantity: 1 }], ttlMs: 60_000 });
    if (!hold.ok) throw new Error('expected a hold');
    for (const w of inventory.workers ?? []) w.start();
    await inventory.client.release(hold.reservationId, 'payment_failed');
    await expect.poll(() => published.some((e) => (e.payload as { reservationId: string }).reservationId === hold.reservationId), { timeout: 5_000 }).toBe(true);
    await Promise.all((inventory.workers ?? []).map((w) => w.stop()));
  });
});
