import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../platform/db/database.js';
import type { Payment, PaymentStore } from './payment-store.js';

export interface PaymentStoreFixture {
  store: PaymentStore;
  /** read access for assertions on the outbox and constraints */
  db: Database;
  dispose(): Promise<void>;
}

const usd = (amount: number) => ({ amount, currency: 'USD' });
const event = (type: string, orderId: string) => ({ type, payload: { orderId } });

/** One suite for the payment store on every engine; each test opens payments for its own orders. */
export function paymentStoreContract(name: string, make: () => Promise<PaymentStoreFixture>) {
  describe(`${name} payment store`, () => {
    let fx: PaymentStoreFixture;
    let store: PaymentStore;
    beforeAll(async () => {
      fx = await make();
      store = fx.store;
    });
    afterAll(() => fx?.dispose());

    const open = async (orderId = uuidv7(), idempotencyKey = `order:${orderId}`, amount = 2500): Promise<Payment> => {
      const result = await store.open({ id: uuidv7(), orderId, idempotencyKey, amount: usd(amount) });
      if (!result.ok) throw new Error(`expected a payment, got ${result.code}`);
      return result.payment;
    };
    const eventsFor = async (orderId: string) => {
      const { rows } = await sql<{ type: string }>`select type from payments.outbox where payload->>'orderId' = ${orderId} order by id`.execute(fx.db.kysely);
      return rows.map((r) => r.type);
    };

    it('when a payment is opened, then it is pending with the amount, the key and no attempts', async () => {
      const orderId = uuidv7();
      const payment = await open(orderId, `order:${orderId}`, 1234);
      expect(payment).toMatchObject({ orderId, idempotencyKey: `order:${orderId}`, amount: usd(1234), status: 'pending', attempts: 0, pspReference: null });
      expect(await store.findById(payment.id)).toEqual(payment);
      expect(await store.findByOrder(orderId)).toEqual(payment);
    });

    it('when 20 opens race for one order, then they all get the one payment', async () => {
      const orderId = uuidv7();
      const results = await Promise.all(Array.from({ length: 20 }, () => open(orderId)));
      expect(new Set(results.map((p) => p.id)).size).toBe(1);
    });

    it('when an order is opened again with another key, then its first payment and key are kept', async () => {
      const orderId = uuidv7();
      const first = await open(orderId, `order:${orderId}`);
      const again = await open(orderId, `other:${orderId}`);
      expect(again.id).toBe(first.id);
      expect(again.idempotencyKey).toBe(`order:${orderId}`);
    });

    it("when a key already used by another order's payment is reused, then IDEMPOTENCY_KEY_TAKEN", async () => {
      const key = `shared:${uuidv7()}`;
      await open(uuidv7(), key);
      expect(await store.open({ id: uuidv7(), orderId: uuidv7(), idempotencyKey: key, amount: usd(1) })).toEqual({ ok: false, code: 'IDEMPOTENCY_KEY_TAKEN' });
    });

    it('when attempts are counted, then each adds one', async () => {
      const payment = await open();
      await store.countAttempt(payment.id);
      await store.countAttempt(payment.id);
      expect((await store.findById(payment.id))?.attempts).toBe(2);
    });

    it('when a payment is captured, then it records the reference and writes its event once; settling again changes nothing', async () => {
      const payment = await open();
      const captured = await store.settle(payment.id, { status: 'captured', pspReference: 'ch_1' }, event('payment.captured', payment.orderId));
      expect(captured).toMatchObject({ id: payment.id, status: 'captured', pspReference: 'ch_1' });
      expect(await store.settle(payment.id, { status: 'declined', reason: 'card_declined' }, event('payment.failed', payment.orderId))).toBeNull();
      expect((await store.findById(payment.id))?.status).toBe('captured');
      expect(await eventsFor(payment.orderId)).toEqual(['payment.captured']);
    });

    it('when 20 settles race, then exactly one wins and exactly one event is written', async () => {
      const payment = await open();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.settle(payment.id, { status: 'captured', pspReference: `ch_${i}` }, event('payment.captured', payment.orderId))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await eventsFor(payment.orderId)).toEqual(['payment.captured']);
    });

    it('when a payment is declined, then the reason is kept and the failure event written', async () => {
      const payment = await open();
      const declined = await store.settle(payment.id, { status: 'declined', reason: 'card_declined' }, event('payment.failed', payment.orderId));
      expect(declined).toMatchObject({ status: 'declined', declineReason: 'card_declined' });
      expect(await eventsFor(payment.orderId)).toEqual(['payment.failed']);
    });

    it('when a captured payment is refunded, then it is refunded once; pending or declined ones cannot be', async () => {
      const payment = await open();
      expect(await store.markRefunded(payment.id, 're_0', event('payment.refunded', payment.orderId))).toBeNull();
      await store.settle(payment.id, { status: 'captured', pspReference: 'ch_9' }, event('payment.captured', payment.orderId));
      expect(await store.markRefunded(payment.id, 're_1', event('payment.refunded', payment.orderId))).toMatchObject({ status: 'refunded', refundReference: 're_1', pspReference: 'ch_9' });
      expect(await store.markRefunded(payment.id, 're_2', event('payment.refunded', payment.orderId))).toBeNull();
      expect(await eventsFor(payment.orderId)).toEqual(['payment.captured', 'payment.refunded']);

      const declined = await open();
      await store.settle(declined.id, { status: 'declined', reason: 'card_declined' }, event('payment.failed', declined.orderId));
      expect(await store.markRefunded(declined.id, 're_3', event('payment.refunded', declined.orderId))).toBeNull();
    });

    it('when a row is written with an unknown status or a captured status without reference, then the database refuses it', async () => {
      const payment = await open();
      await expect(sql`update payments.payments set status = 'lost' where id = ${payment.id}`.execute(fx.db.kysely)).rejects.toThrow();
      await expect(sql`update payments.payments set status = 'captured' where id = ${payment.id}`.execute(fx.db.kysely)).rejects.toThrow();
    });

    // The retry state: every test moves its own clock far ahead of the others' rows, and claims
    // with a limit large enough for everything due, so tests sharing a database do not interfere.
    let clockMs = Date.now() + 365 * 24 * 3_600_000;
    const tick = (ms = 24 * 3_600_000) => new Date((clockMs += ms));
    const claimMine = async (now: Date, ids: string[], leaseMs = 30_000) =>
      (await store.claimDue(now, 10_000, leaseMs)).filter((p) => ids.includes(p.id));

    it('when a payment is opened with its token and hold, then it is due at once with no lease; a later open fills what an old row lacks', async () => {
      const orderId = uuidv7();
      const old = await open(orderId);
      expect(old).toMatchObject({ paymentToken: null, reservationId: null, leaseExpiresAt: null, lastError: null });
      const reservationId = uuidv7();
      const again = await store.open({ id: uuidv7(), orderId, idempotencyKey: `order:${orderId}`, amount: usd(2500), paymentToken: 'tok_visa', reservationId });
      expect(again).toMatchObject({ ok: true, payment: { id: old.id, paymentToken: 'tok_visa', reservationId } });
      expect(old.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now() + 1_000);
    });

    it('when due payments are claimed, then each is leased once; a live lease hides it and an ended one frees it', async () => {
      const ids = [(await open()).id, (await open()).id, (await open()).id];
      const now = tick();
      const first = await claimMine(now, ids, 60_000);
      expect(first.map((p) => p.id).sort()).toEqual([...ids].sort());
      expect(first.every((p) => p.leaseExpiresAt?.getTime() === now.getTime() + 60_000)).toBe(true);
      expect(await claimMine(new Date(now.getTime() + 59_000), ids)).toEqual([]);
      expect((await claimMine(new Date(now.getTime() + 60_000), ids)).map((p) => p.id).sort()).toEqual([...ids].sort());
    });

    it('when 10 claims race over 30 due payments, then every payment is claimed exactly once', async () => {
      const ids = await Promise.all(Array.from({ length: 30 }, async () => (await open()).id));
      const now = tick();
      const claims = await Promise.all(Array.from({ length: 10 }, () => store.claimDue(now, 5, 60_000)));
      const again = await store.claimDue(now, 10_000, 60_000);
      const mine = [...claims.flat(), ...again].map((p) => p.id).filter((id) => ids.includes(id));
      expect(mine.sort()).toEqual([...ids].sort());
    });

    it('when a claimed payment is rescheduled, then its lease is released, the error kept, and it is due only at the new time', async () => {
      const payment = await open();
      const now = tick();
      await claimMine(now, [payment.id]);
      const at = new Date(now.getTime() + 5_000);
      expect(await store.reschedule(payment.id, { at, error: 'payment provider answered 503 issuer_unavailable' })).toBe(true);
      expect(await store.findById(payment.id)).toMatchObject({ leaseExpiresAt: null, nextAttemptAt: at, lastError: 'payment provider answered 503 issuer_unavailable', status: 'pending' });
      expect(await claimMine(new Date(at.getTime() - 1), [payment.id])).toEqual([]);
      expect(await claimMine(at, [payment.id])).toHaveLength(1);
    });

    it('when a settled payment is rescheduled, then nothing changes', async () => {
      const payment = await open();
      await store.settle(payment.id, { status: 'captured', pspReference: 'ch_r' }, event('payment.captured', payment.orderId));
      expect(await store.reschedule(payment.id, { at: tick() })).toBe(false);
      expect(await claimMine(tick(), [payment.id])).toEqual([]);
    });

    it('when due payments are deferred, then they move to the new time without an attempt or a lease; leased ones are left alone', async () => {
      // claims lease everything due, so the leased one is claimed before the others exist
      const leased = await open();
      const now = tick();
      await claimMine(now, [leased.id], 60_000);
      const [a, b] = [await open(), await open()];
      const until = new Date(now.getTime() + 30_000);
      const deferred = (await store.deferDue(now, until, 10_000)).filter((p) => [a.id, b.id, leased.id].includes(p.id));
      expect(deferred.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
      for (const id of [a.id, b.id]) expect(await store.findById(id)).toMatchObject({ attempts: 0, nextAttemptAt: until, leaseExpiresAt: null });
      expect(await claimMine(new Date(until.getTime() - 1), [a.id, b.id])).toEqual([]);
    });

    it('when pending payments are counted, then queued, retrying and in-flight ones are told apart and settled ones are not counted', async () => {
      const now = tick();
      const inFlight = await open();
      const before = await store.countPending(now);
      await claimMine(now, [inFlight.id], 60_000);
      await open(); // queued: never tried
      const retrying = await open();
      await store.countAttempt(retrying.id);
      const captured = await open();
      await store.settle(captured.id, { status: 'captured', pspReference: 'ch_c' }, event('payment.captured', captured.orderId));
      const after = await store.countPending(now);
      // the claim leased every due row (earlier tests' too), so compare totals and the in-flight share
      const total = (c: typeof after) => c.queued + c.retrying + c.inFlight;
      expect(total(after) - total(before)).toBe(2);
      expect(after.inFlight).toBe(total(before));
      expect(after.queued).toBe(1);
      expect(after.retrying).toBe(1);
    });

    it('when a claimed payment settles, then its lease is released', async () => {
      const payment = await open();
      await claimMine(tick(), [payment.id]);
      expect(await store.settle(payment.id, { status: 'declined', reason: 'card_declined' }, event('payment.failed', payment.orderId))).toMatchObject({ leaseExpiresAt: null });
    });

    it('when an unknown payment or order is looked up, then null', async () => {
      expect(await store.findById(uuidv7())).toBeNull();
      expect(await store.findByOrder(uuidv7())).toBeNull();
    });
  });
}
