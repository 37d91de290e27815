import { createServer, type Server, type Socket } from 'node:net';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database } from '../../platform/db/database.js';
import { startFakePsp, type RunningFakePsp } from './fake-psp/start-fake-psp.js';
import { createFakePspPaymentProvider, paymentsMigrations, type PaymentProvider } from './index.js';
import { createPaymentsRig, silent, type PaymentsRig } from './payments-test-rig.test-support.js';
import { createMigratedPglite } from '../../../test/support/databases.js';

/** a PSP that accepts connections and never answers: what a hung provider looks like */
async function hungPsp(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('payments service', () => {
  let db: Database;
  let psp: RunningFakePsp;
  let provider: PaymentProvider;
  let rig: PaymentsRig;

  beforeAll(async () => {
    db = await createMigratedPglite([paymentsMigrations]);
    psp = await startFakePsp({ logger: silent, slowMs: 200 });
    provider = createFakePspPaymentProvider({ baseUrl: psp.url });
    // retries due at once, so drainOnce() runs a flaky card to its end
    rig = createPaymentsRig(db, provider, { retry: { baseMs: 0 } });
  });
  afterAll(async () => {
    await provider?.close();
    await psp?.close();
    await db?.close();
  });

  it('when order.placed is delivered, then the payment is only recorded (pending, key order:<id>) and the PSP is not called', async () => {
    const orderId = uuidv7();
    const before = await psp.stats();
    await rig.place(orderId, 'tok_visa');
    expect(await rig.row(orderId)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await rig.client.paymentStatus(orderId)).toEqual({ status: 'pending', mayCapture: true });
    expect((await psp.stats()).captures).toBe(before.captures);
    await rig.worker.drainOnce();
    expect((await psp.stats()).capturesByKey[`order:${orderId}`]).toBe(1);
  });

  it('when the worker charges a recorded payment, then it is captured once, payment.captured is written and the outcome counted', async () => {
    const orderId = uuidv7();
    const capturedBefore = await rig.outcomeCount('captured');
    await rig.place(orderId, 'tok_visa', 990);
    await rig.place(orderId, 'tok_visa', 990); // redelivered
    await rig.worker.drainOnce();
    expect(await rig.row(orderId)).toMatchObject({ status: 'captured', attempts: 1, psp_reference: expect.stringMatching(/^ch_/) });
    expect(await rig.outboxTypes(orderId)).toEqual(['payment.captured']);
    expect(await rig.outcomeCount('captured')).toBe(capturedBefore + 1);
    expect((await psp.stats()).capturesByKey[`order:${orderId}`]).toBe(1);
    expect(await rig.client.paymentStatus(orderId)).toEqual({ status: 'captured', mayCapture: false });
  });

  it('when the card is declined, then the payment is declined with its reason and payment.failed is written', async () => {
    const orderId = uuidv7();
    await rig.place(orderId, 'tok_declined');
    await rig.worker.drainOnce();
    expect(await rig.row(orderId)).toMatchObject({ status: 'declined', attempts: 1, decline_reason: 'card_declined' });
    expect(await rig.outboxTypes(orderId)).toEqual(['payment.failed']);
  });

  it('when tok_flaky fails twice, then the payment is retried from its row and captured once, on the third attempt', async () => {
    const orderId = uuidv7();
    const transientBefore = await rig.outcomeCount('transient_error');
    await rig.place(orderId, 'tok_flaky');
    await rig.worker.drainOnce();
    expect(await rig.row(orderId)).toMatchObject({ status: 'captured', attempts: 3 });
    expect(await rig.outcomeCount('transient_error')).toBe(transientBefore + 2);
    expect((await psp.stats()).capturesByKey[`order:${orderId}`]).toBe(1);
  });

  it('when a charge fails transiently twice, then the log gets one warning line for it (no stack), not one per attempt', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const logged = createPaymentsRig(db, provider, { retry: { baseMs: 0 }, logger });
    const orderId = uuidv7();
    await logged.place(orderId, 'tok_flaky');
    await logged.worker.drainOnce();
    expect(await logged.row(orderId)).toMatchObject({ status: 'captured', attempts: 3 });
    const psp = lines.filter((l) => l.dependency === 'psp');
    expect(psp).toHaveLength(1);
    expect(psp[0]).toMatchObject({ level: 40, key: 'charge', orderId });
    expect(JSON.stringify(psp)).not.toContain('    at ');
    await logged.stop();
  });

  it('when the PSP fails a charge on every allowed attempt, then the payment is declined as processor_unavailable', async () => {
    const impatient = createPaymentsRig(db, provider, { retry: { baseMs: 0, maxChargeAttempts: 2 } });
    const orderId = uuidv7();
    await impatient.place(orderId, 'tok_flaky');
    await impatient.worker.drainOnce();
    expect(await impatient.row(orderId)).toMatchObject({ status: 'declined', attempts: 2, decline_reason: 'processor_unavailable' });
  });

  it('when the PSP hangs, then delivering order.placed still returns at once: the relay is never held by the PSP', async () => {
    const hung = await hungPsp();
    const stuck = createFakePspPaymentProvider({ baseUrl: hung.url, timeoutMs: 3_000 });
    const stuckRig = createPaymentsRig(db, stuck);
    try {
      stuckRig.worker.start();
      const orderIds = Array.from({ length: 20 }, () => uuidv7());
      // a delivery that waited for the PSP would take its whole 3 s deadline
      const slowest = { ms: 0 };
      for (const orderId of orderIds) {
        const started = Date.now();
        await stuckRig.place(orderId, 'tok_visa');
        slowest.ms = Math.max(slowest.ms, Date.now() - started);
      }
      expect(slowest.ms).toBeLessThan(3_000);
      await expect.poll(() => stuckRig.worker.inFlight(), { timeout: 2_000 }).toBeGreaterThan(0);
      for (const orderId of orderIds) expect((await stuckRig.row(orderId))?.status).toBe('pending');
    } finally {
      await stuckRig.stop();
      await stuck.close();
      await hung.close();
    }
  });

  it('when a captured order is refunded twice, then the PSP refunds once and payment.refunded is written once', async () => {
    const orderId = uuidv7();
    await rig.place(orderId, 'tok_visa');
    await rig.worker.drainOnce();
    const refundsBefore = (await psp.stats()).refunds;
    const first = await rig.client.refund({ orderId, reason: 'order_cancelled' });
    expect(first).toEqual({ status: 'refunded', paymentId: expect.any(String) });
    expect(await rig.client.refund({ orderId, reason: 'order_cancelled' })).toEqual(first);
    expect((await psp.stats()).refunds).toBe(refundsBefore + 1);
    expect(await rig.outboxTypes(orderId)).toEqual(['payment.captured', 'payment.refunded']);
    expect(await rig.client.paymentStatus(orderId)).toEqual({ status: 'refunded', mayCapture: false });
  });

  it('when an order without a capture is refunded, then nothing_to_refund; an unknown order may still capture', async () => {
    const unknown = uuidv7();
    expect(await rig.client.refund({ orderId: unknown, reason: 'x' })).toEqual({ status: 'nothing_to_refund' });
    expect(await rig.client.paymentStatus(unknown)).toEqual({ status: 'none', mayCapture: true });
    const declined = uuidv7();
    await rig.place(declined, 'tok_declined');
    await rig.worker.drainOnce();
    expect(await rig.client.refund({ orderId: declined, reason: 'x' })).toMatchObject({ status: 'nothing_to_refund' });
  });

  it('when two workers share the due payments, then each payment is charged by one of them, once', async () => {
    const other = createPaymentsRig(db, provider);
    const orderIds = Array.from({ length: 30 }, () => uuidv7());
    for (const orderId of orderIds) await rig.place(orderId, 'tok_visa', 100);
    await Promise.all([rig.worker.drainOnce(), other.worker.drainOnce()]);
    for (const orderId of orderIds) expect(await rig.row(orderId)).toMatchObject({ status: 'captured', attempts: 1 });
  });

  it('when metrics are scraped, then the PSP circuit state and the pending payments by state are there', async () => {
    const orderId = uuidv7();
    await rig.place(orderId, 'tok_visa');
    const text = await rig.metrics.registry.metrics();
    expect(text).toMatch(/floodgate_payments_psp_circuit_state\{[^}]*state="closed"[^}]*\} 1/);
    expect(text).toMatch(/floodgate_payments_psp_circuit_state\{[^}]*state="open"[^}]*\} 0/);
    const queued = Number(/floodgate_payments_pending\{[^}]*state="queued"[^}]*\} (\d+)/.exec(text)?.[1]);
    expect(queued).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/floodgate_payments_pending\{[^}]*state="retrying"[^}]*\} \d+/);
    expect(text).toMatch(/floodgate_payments_pending\{[^}]*state="in_flight"[^}]*\} \d+/);
    await rig.worker.drainOnce();
    await expect.poll(async () => Number(/floodgate_payments_pending\{[^}]*state="queued"[^}]*\} (\d+)/.exec(await rig.metrics.registry.metrics())?.[1]), { timeout: 3_000 }).toBe(queued - 1);
  });
});
