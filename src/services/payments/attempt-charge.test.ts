import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database } from '../../platform/db/database.js';
import { createAggregatedFailureLog } from '../../platform/telemetry/failure-log.js';
import { makeAttemptCharge } from './attempt-charge.js';
import { startFakePsp, type RunningFakePsp } from './fake-psp/start-fake-psp.js';
import { createFakePspPaymentProvider, paymentsMigrations, type PaymentProvider } from './index.js';
import { silent } from './payments-test-rig.test-support.js';
import { DEFAULT_RETRY_SCHEDULE } from './retry-schedule.js';
import { createSqlPaymentStore } from './storage/sql-payment-store.js';
import { createMigratedPglite } from '../../../test/support/databases.js';

describe('attempt charge', () => {
  let db: Database;
  let psp: RunningFakePsp;
  let provider: PaymentProvider;

  beforeAll(async () => {
    db = await createMigratedPglite([paymentsMigrations]);
    psp = await startFakePsp({ logger: silent });
    provider = createFakePspPaymentProvider({ baseUrl: psp.url });
  });
  afterAll(async () => {
    await provider?.close();
    await psp?.close();
    await db?.close();
  });

  it('when recording the charge outcome loses its database connection, then the payment is retried on the normal schedule (not the 60 s PSP-refusal wait) and captured once', async () => {
    const real = createSqlPaymentStore(db);
    let cut = 1;
    // the real store, with the one write a terminated backend broke (postgres-backend-terminated fault test)
    const store: typeof real = {
      ...real,
      settle: (...args) => (cut-- > 0 ? Promise.reject(new Error('Client has encountered a connection error and is not queryable')) : real.settle(...args)),
    };
    const attempt = makeAttemptCharge({
      store, provider, holds: undefined, clock: () => new Date(), retry: DEFAULT_RETRY_SCHEDULE, leaseMs: 15_000, holdMarginMs: 60_000,
      logger: silent, failures: createAggregatedFailureLog({ logger: silent, dependency: 'psp' }), onEventsWritten: () => {}, recordOutcome: () => {},
    });
    const orderId = uuidv7();
    await real.open({ id: uuidv7(), orderId, idempotencyKey: `order:${orderId}`, amount: { amount: 1999, currency: 'USD' }, paymentToken: 'tok_visa' });

    const [first] = await real.claimDue(new Date(), 1, 15_000);
    expect(await attempt(first!)).toBe('retry');
    const { rows } = await sql<{ wait_ms: number; status: string }>`
      select extract(epoch from (next_attempt_at - now())) * 1000 as wait_ms, status from payments.payments where order_id = ${orderId}`.execute(db.kysely);
    expect(rows[0]!.status).toBe('pending');
    expect(Number(rows[0]!.wait_ms)).toBeLessThanOrEqual(DEFAULT_RETRY_SCHEDULE.baseMs);

    // the retry charges under the same key: the PSP replays its answer, one capture in its ledger
    // (claimed as of a second from now, when the retry is due, rather than sleeping until then)
    const [second] = await real.claimDue(new Date(Date.now() + 1_000), 1, 15_000);
    expect(second?.orderId).toBe(orderId);
    expect(await attempt(second!)).toBe('captured');
    expect((await psp.stats()).capturesByKey[`order:${orderId}`]).toBe(1);
  });
});
