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

    it('when an unknown payment or order is looked up, then null', async () => {
      expect(await store.findById(uuidv7())).toBeNull();
      expect(await store.findByOrder(uuidv7())).toBeNull();
    });
  });
}
