import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../platform/db/database.js';
import type { AbandonedCheckout, BeginResult, IdempotencyClaim, IdempotencyScope, IdempotencyStore } from './idempotency-store.js';

export interface IdempotencyStoreFixture {
  store: IdempotencyStore;
  /** to write a row as code older than the order_id column did */
  db: Database;
  dispose(): Promise<void>;
}

const LOCK_MS = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One suite for the idempotency store on every engine; each test uses its own customer and keys. */
export function idempotencyStoreContract(name: string, make: () => Promise<IdempotencyStoreFixture>) {
  describe(`${name} idempotency store`, () => {
    let fx: IdempotencyStoreFixture;
    let store: IdempotencyStore;
    beforeAll(async () => {
      fx = await make();
      store = fx.store;
    });
    afterAll(() => fx?.dispose());

    const scope = (): IdempotencyScope => ({ customerId: randomUUID(), key: `key-${randomUUID()}` });
    const begin = (s: IdempotencyScope, requestHash = 'hash-a', now = new Date(), lockMs = LOCK_MS, cartId?: string) => store.begin({ scope: s, requestHash, now, lockMs, cartId });
    const started = async (s: IdempotencyScope, requestHash = 'hash-a', now = new Date(), cartId?: string): Promise<IdempotencyClaim> => {
      const result = await begin(s, requestHash, now, LOCK_MS, cartId);
      if (result.outcome !== 'started') throw new Error(`expected started, got ${result.outcome}`);
      return result.claim;
    };

    it('when a key is used for the first time, then the request is started with a claim locked for lockMs and a fresh order id', async () => {
      const s = scope();
      const now = new Date();
      const claim = await started(s, 'hash-a', now);
      expect(claim).toEqual({ ...s, lockedUntil: new Date(now.getTime() + LOCK_MS), orderId: expect.stringMatching(UUID) });
      expect((await started(scope())).orderId).not.toBe(claim.orderId);
    });

    it('when the same key and body arrive while the first is running, then in_progress', async () => {
      const s = scope();
      await started(s);
      expect(await begin(s)).toEqual({ outcome: 'in_progress' });
    });

    it('when the same key arrives with a different body, then mismatch, whether running or completed', async () => {
      const s = scope();
      const claim = await started(s, 'hash-a');
      expect(await begin(s, 'hash-b')).toEqual({ outcome: 'mismatch' });
      await store.complete(claim, { status: 202, body: { ok: true } });
      expect(await begin(s, 'hash-b')).toEqual({ outcome: 'mismatch' });
    });

    it('when the request completed, then every retry gets the saved status and body', async () => {
      const s = scope();
      const claim = await started(s);
      const response = { status: 409, body: { error: { code: 'X', fields: [{ field: 'a.b', message: 'm' }] }, n: 1.5, none: null } };
      expect(await store.complete(claim, response)).toBe(true);
      expect(await begin(s)).toEqual({ outcome: 'completed', response });
      expect(await begin(s)).toEqual({ outcome: 'completed', response });
    });

    it('when 50 requests with one key begin at once, then exactly one is started and the rest are in_progress', async () => {
      const s = scope();
      const results: BeginResult[] = await Promise.all(Array.from({ length: 50 }, () => begin(s)));
      expect(results.filter((r) => r.outcome === 'started')).toHaveLength(1);
      expect(results.filter((r) => r.outcome === 'in_progress')).toHaveLength(49);
    });

    it('when two customers use the same key, then each has its own request', async () => {
      const key = `shared-${randomUUID()}`;
      expect((await begin({ customerId: randomUUID(), key })).outcome).toBe('started');
      expect((await begin({ customerId: randomUUID(), key })).outcome).toBe('started');
    });

    it('when a claim is released, then the next request with the key starts afresh, even with another body', async () => {
      const s = scope();
      const claim = await started(s, 'hash-a');
      await store.release(claim);
      expect((await begin(s, 'hash-b')).outcome).toBe('started');
    });

    it('when the holder crashed and its lock lapsed, then the next request takes over and the old claim can neither complete nor release', async () => {
      const s = scope();
      const t0 = new Date(Date.now() - 60_000);
      const crashed = await started(s, 'hash-a', t0);
      expect(await begin(s, 'hash-a', new Date(t0.getTime() + LOCK_MS - 1))).toEqual({ outcome: 'in_progress' });
      const takeover = await started(s, 'hash-a', new Date(t0.getTime() + LOCK_MS + 1));
      expect(await store.complete(crashed, { status: 202, body: 'stale' })).toBe(false);
      await store.release(crashed);
      expect(await begin(s, 'hash-a', new Date(takeover.lockedUntil.getTime() - 1))).toEqual({ outcome: 'in_progress' });
      expect(await store.complete(takeover, { status: 202, body: 'fresh' })).toBe(true);
      expect(await begin(s)).toEqual({ outcome: 'completed', response: { status: 202, body: 'fresh' } });
    });

    it('when a lapsed claim is taken over, then the takeover carries the order id of the original claim', async () => {
      const s = scope();
      const t0 = new Date(Date.now() - 60_000);
      const crashed = await started(s, 'hash-a', t0);
      const takeover = await started(s, 'hash-a', new Date(t0.getTime() + LOCK_MS + 1));
      expect(takeover.lockedUntil).not.toEqual(crashed.lockedUntil);
      expect(takeover.orderId).toBe(crashed.orderId);
      // and so does a takeover of the takeover
      const again = await started(s, 'hash-a', new Date(takeover.lockedUntil.getTime() + 1));
      expect(again.orderId).toBe(crashed.orderId);
    });

    it('when a released key is claimed again, then the new request gets a new order id', async () => {
      const s = scope();
      const first = await started(s);
      await store.release(first);
      expect((await started(s)).orderId).not.toBe(first.orderId);
    });

    it('when a lapsed claim written before order ids existed is taken over, then it gets an order id that its next takeover keeps', async () => {
      const s = scope();
      const lapsed = new Date(Date.now() - 60_000);
      await sql`insert into orders.idempotency_keys (customer_id, key, request_hash, state, locked_until) values (${s.customerId}, ${s.key}, 'hash-a', 'in_progress', ${lapsed})`.execute(fx.db.kysely);
      const takeover = await started(s);
      expect(takeover.orderId).toMatch(UUID);
      const again = await started(s, 'hash-a', new Date(takeover.lockedUntil.getTime() + 1));
      expect(again.orderId).toBe(takeover.orderId);
    });

    it('when 20 requests race to take over one lapsed claim, then exactly one wins', async () => {
      const s = scope();
      const t0 = new Date(Date.now() - 60_000);
      await started(s, 'hash-a', t0);
      const later = new Date(t0.getTime() + LOCK_MS + 5);
      const results = await Promise.all(Array.from({ length: 20 }, () => begin(s, 'hash-a', later)));
      expect(results.filter((r) => r.outcome === 'started')).toHaveLength(1);
    });

    it('when a claim is completed twice, then only the first saves', async () => {
      const s = scope();
      const claim = await started(s);
      expect(await store.complete(claim, { status: 202, body: 1 })).toBe(true);
      expect(await store.complete(claim, { status: 202, body: 2 })).toBe(false);
      expect(await begin(s)).toEqual({ outcome: 'completed', response: { status: 202, body: 1 } });
    });

    it('when old completed keys are pruned, then they are gone and running ones stay', async () => {
      const done = scope();
      await store.complete(await started(done), { status: 202, body: {} });
      const running = scope();
      await started(running);
      expect(await store.deleteCompletedBefore(new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(1);
      expect((await begin(done)).outcome).toBe('started');
      expect(await begin(running)).toEqual({ outcome: 'in_progress' });
    });

    describe('abandoned checkouts', () => {
      /** every test's claims are its own customer's; other tests' rows share the table */
      const abandonedOf = async (customerId: string, lockedBefore = new Date()): Promise<AbandonedCheckout[]> =>
        (await store.findAbandoned({ lockedBefore, limit: 10_000 })).filter((a) => a.customerId === customerId);
      const longAgo = () => new Date(Date.now() - 3_600_000);
      const placeOrderOf = (claim: IdempotencyClaim) =>
        sql`insert into orders.orders (id, customer_id, status, shipping_address, total_minor, currency, reservation_id, payment_token, created_at, updated_at)
            values (${claim.orderId}, ${claim.customerId}, 'pending', '{}', 0, 'USD', 'r', 'tok_visa', now(), now())`.execute(fx.db.kysely);

      it('when a claim with a cart lapsed before the cutoff and has no order, then it is found with its order id and cart id', async () => {
        const s = scope();
        const cartId = randomUUID();
        const claim = await started(s, 'hash-a', longAgo(), cartId);
        expect(await abandonedOf(s.customerId)).toEqual([{ ...s, lockedUntil: claim.lockedUntil, orderId: claim.orderId, cartId }]);
      });

      it('when claims lapsed at different times, then they are found oldest first, and only those before the cutoff', async () => {
        const customerId = randomUUID();
        const t0 = longAgo();
        const older = await started({ customerId, key: 'older' }, 'h', t0);
        const newer = await started({ customerId, key: 'newer' }, 'h', new Date(t0.getTime() + 1_000));
        expect((await abandonedOf(customerId)).map((a) => a.key)).toEqual(['older', 'newer']);
        expect((await abandonedOf(customerId, newer.lockedUntil)).map((a) => a.key)).toEqual(['older']);
        expect(await abandonedOf(customerId, older.lockedUntil)).toEqual([]);
      });

      it('when a claim is running, completed or its order was placed, then it is not abandoned and cannot be seized', async () => {
        const running = scope();
        await started(running, 'hash-a', new Date(), randomUUID());
        const completed = scope();
        await store.complete(await started(completed, 'hash-a', longAgo()), { status: 202, body: {} });
        const placed = scope();
        const placedClaim = await started(placed, 'hash-a', longAgo(), randomUUID());
        const seen: AbandonedCheckout = { ...placed, lockedUntil: placedClaim.lockedUntil, orderId: placedClaim.orderId, cartId: null };
        await placeOrderOf(placedClaim);

        expect(await abandonedOf(running.customerId)).toEqual([]);
        for (const s of [completed, placed]) expect(await abandonedOf(s.customerId, new Date(Date.now() + 3_600_000))).toEqual([]);
        expect(await store.seizeAbandoned(seen, new Date())).toBe(false);
      });

      it('when a claim is taken over, then it keeps its cart id, and a claim with no cart or an unreadable one is found without one', async () => {
        const s = scope();
        const cartId = randomUUID();
        const crashed = await started(s, 'hash-a', longAgo(), cartId);
        const takeover = await started(s, 'hash-a', new Date(crashed.lockedUntil.getTime() + 1));
        expect(await abandonedOf(s.customerId, new Date(takeover.lockedUntil.getTime() + 1))).toEqual([{ ...s, lockedUntil: takeover.lockedUntil, orderId: crashed.orderId, cartId }]);

        const bare = scope();
        await started(bare, 'hash-a', longAgo());
        const garbled = scope();
        await started(garbled, 'hash-a', longAgo(), 'not-a-uuid');
        expect((await abandonedOf(bare.customerId))[0]?.cartId).toBeNull();
        expect((await abandonedOf(garbled.customerId))[0]?.cartId).toBeNull();
      });

      it('when an abandoned claim is seized, then no request can take it over until the seizure is released, and then the key starts afresh', async () => {
        const s = scope();
        const crashed = await started(s, 'hash-a', longAgo(), randomUUID());
        const [abandoned] = await abandonedOf(s.customerId);
        const until = new Date(Date.now() + 60_000);
        expect(await store.seizeAbandoned(abandoned!, until)).toBe(true);

        expect(await begin(s)).toEqual({ outcome: 'in_progress' });
        expect(await store.complete(crashed, { status: 202, body: 'stale' })).toBe(false);
        expect(await abandonedOf(s.customerId)).toEqual([]);
        await store.release({ ...s, lockedUntil: until });
        const fresh = await started(s, 'hash-b');
        expect(fresh.orderId).not.toBe(crashed.orderId);
      });

      it('when a retry took the claim over after it was found, then seizing the claim as found fails', async () => {
        const s = scope();
        const crashed = await started(s, 'hash-a', longAgo(), randomUUID());
        const [abandoned] = await abandonedOf(s.customerId);
        const takeover = await started(s, 'hash-a', new Date(crashed.lockedUntil.getTime() + 1));
        expect(await store.seizeAbandoned(abandoned!, new Date(Date.now() + 60_000))).toBe(false);
        expect(await store.complete(takeover, { status: 202, body: 'placed' })).toBe(true);
      });

      it('when 10 sweepers seize one abandoned claim at once, then exactly one gets it', async () => {
        const s = scope();
        await started(s, 'hash-a', longAgo(), randomUUID());
        const [abandoned] = await abandonedOf(s.customerId);
        const until = new Date(Date.now() + 60_000);
        const seized = await Promise.all(Array.from({ length: 10 }, (_, i) => store.seizeAbandoned(abandoned!, new Date(until.getTime() + i))));
        expect(seized.filter(Boolean)).toHaveLength(1);
      });

      it('when a lapsed claim was written before order ids and cart ids existed, then it is found without them and can be seized', async () => {
        const s = scope();
        const lapsed = longAgo();
        await sql`insert into orders.idempotency_keys (customer_id, key, request_hash, state, locked_until) values (${s.customerId}, ${s.key}, 'hash-a', 'in_progress', ${lapsed})`.execute(fx.db.kysely);
        const found = await abandonedOf(s.customerId);
        expect(found).toEqual([{ ...s, lockedUntil: lapsed, orderId: null, cartId: null }]);
        expect(await store.seizeAbandoned(found[0]!, new Date(Date.now() + 60_000))).toBe(true);
      });
    });
  });
}
