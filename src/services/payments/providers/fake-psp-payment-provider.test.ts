import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePsp, type RunningFakePsp } from '../fake-psp/start-fake-psp.js';
import { createFakePspPaymentProvider } from './fake-psp-payment-provider.js';
import { TransientPaymentError, type PaymentProvider } from './payment-provider.js';

const quickBackoff = { initialDelayMs: 5, maxDelayMs: 20 };

/** a port nothing listens on: connections are refused at once */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('fake PSP payment provider', () => {
  let psp: RunningFakePsp;
  let provider: PaymentProvider;
  beforeAll(async () => {
    psp = await startFakePsp({ logger: pino({ level: 'silent' }), slowMs: 400 });
    provider = createFakePspPaymentProvider({ baseUrl: psp.url, backoff: quickBackoff });
  });
  afterAll(async () => {
    await provider?.close();
    await psp?.close();
  });

  const charge = (token: string, idempotencyKey = randomUUID(), p = provider) => p.charge({ amount: 4200, currency: 'EUR', token, idempotencyKey });

  it('when tok_visa is charged, then it is captured with the PSP reference', async () => {
    const outcome = await charge('tok_visa');
    expect(outcome).toEqual({ status: 'captured', reference: expect.stringMatching(/^ch_/) });
  });

  it('when tok_declined or an unknown token is charged, then the outcome is a decline, not an error', async () => {
    expect(await charge('tok_declined')).toEqual({ status: 'declined', reason: 'card_declined' });
    expect(await charge('tok_nonsense')).toEqual({ status: 'declined', reason: 'invalid_token' });
  });

  it('when tok_flaky fails twice, then the provider retries with the same key and captures exactly once', async () => {
    const key = randomUUID();
    const outcome = await charge('tok_flaky', key);
    expect(outcome.status).toBe('captured');
    expect((await psp.stats()).capturesByKey[key]).toBe(1);
    // asking again later (a redelivered event) returns the same charge
    expect(await charge('tok_flaky', key)).toEqual(outcome);
    expect((await psp.stats()).capturesByKey[key]).toBe(1);
  });

  it('when fewer attempts than the PSP needs are allowed, then a TransientPaymentError is thrown and a later retry captures once', async () => {
    const impatient = createFakePspPaymentProvider({ baseUrl: psp.url, attempts: 2, backoff: quickBackoff });
    try {
      const key = randomUUID();
      await expect(charge('tok_flaky', key, impatient)).rejects.toBeInstanceOf(TransientPaymentError);
      expect((await charge('tok_flaky', key, impatient)).status).toBe('captured');
      expect((await psp.stats()).capturesByKey[key]).toBe(1);
    } finally {
      await impatient.close();
    }
  });

  it('when the PSP answers slower than the timeout, then the attempt fails as transient and the same key later returns the one capture', async () => {
    const hasty = createFakePspPaymentProvider({ baseUrl: psp.url, timeoutMs: 100, attempts: 1 });
    try {
      const key = randomUUID();
      await expect(charge('tok_slow', key, hasty)).rejects.toThrow(/timed out/);
      await new Promise((r) => setTimeout(r, 450));
      const outcome = await charge('tok_slow', key);
      expect(outcome.status).toBe('captured');
      expect((await psp.stats()).capturesByKey[key]).toBe(1);
    } finally {
      await hasty.close();
    }
  });

  it('when the PSP is unreachable, then calls fail as transient and, after enough failures, the circuit opens and fails fast', async () => {
    const down = createFakePspPaymentProvider({
      baseUrl: `http://127.0.0.1:${await closedPort()}`,
      attempts: 1,
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 },
    });
    try {
      for (let i = 0; i < 3; i++) await expect(charge('tok_visa', randomUUID(), down)).rejects.toThrow(/unreachable/);
      const error = await charge('tok_visa', randomUUID(), down).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientPaymentError);
      expect((error as Error).message).toMatch(/circuit is open/);
    } finally {
      await down.close();
    }
  });

  it('when a captured charge is refunded twice, then both answer refunded and the PSP refunds once', async () => {
    const captured = await charge('tok_visa');
    if (captured.status !== 'captured') throw new Error('expected a capture');
    const before = (await psp.stats()).refunds;
    const first = await provider.refund({ reference: captured.reference, idempotencyKey: `refund:${captured.reference}` });
    const again = await provider.refund({ reference: captured.reference, idempotencyKey: `refund:${captured.reference}` });
    const otherKey = await provider.refund({ reference: captured.reference, idempotencyKey: randomUUID() });
    expect(first).toEqual({ status: 'refunded', reference: expect.stringMatching(/^re_/) });
    expect(again).toEqual(first);
    expect(otherKey).toEqual(first);
    expect((await psp.stats()).refunds).toBe(before + 1);
  });

  it('when a refund names a charge the PSP does not know, then it throws a non-transient error', async () => {
    const error = await provider.refund({ reference: 'ch_unknown', idempotencyKey: randomUUID() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TransientPaymentError);
  });
});
