import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePsp, type RunningFakePsp } from '../fake-psp/start-fake-psp.js';
import { createFakePspPaymentProvider } from './fake-psp-payment-provider.js';
import { TransientPaymentError, type PaymentProvider } from './payment-provider.js';

const logger = pino({ level: 'silent' });
/** opens after 3 calls in a second of which more than half failed provider-wide; tries again after 300 ms */
const twitchy = { windowMs: 1_000, minimumRps: 3, threshold: 0.5, halfOpenAfterMs: 300 };

/** a port nothing listens on: connections are refused at once */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a failure'); }, (err: unknown) => err as TransientPaymentError);

describe('fake PSP payment provider', () => {
  let psp: RunningFakePsp;
  let provider: PaymentProvider;
  beforeAll(async () => {
    psp = await startFakePsp({ logger, slowMs: 400 });
    provider = createFakePspPaymentProvider({ baseUrl: psp.url, circuit: twitchy });
  });
  afterAll(async () => {
    await provider?.close();
    await psp?.close();
  });

  const charge = (token: string, idempotencyKey = randomUUID(), p = provider) => p.charge({ amount: 4200, currency: 'EUR', token, idempotencyKey });

  it('when tok_visa is charged, then it is captured with the PSP reference', async () => {
    expect(await charge('tok_visa')).toEqual({ status: 'captured', reference: expect.stringMatching(/^ch_/) });
  });

  it('when tok_declined or an unknown token is charged, then the outcome is a decline, not an error', async () => {
    expect(await charge('tok_declined')).toEqual({ status: 'declined', reason: 'card_declined' });
    expect(await charge('tok_nonsense')).toEqual({ status: 'declined', reason: 'invalid_token' });
  });

  it('when tok_flaky fails, then it is a charge-level error, and the same key captures exactly once on the third call', async () => {
    const key = randomUUID();
    for (let i = 0; i < 2; i++) {
      const error = await failure(charge('tok_flaky', key));
      expect(error).toBeInstanceOf(TransientPaymentError);
      expect(error).toMatchObject({ scope: 'charge', notSent: false });
    }
    const outcome = await charge('tok_flaky', key);
    expect(outcome.status).toBe('captured');
    expect(await charge('tok_flaky', key)).toEqual(outcome);
    expect((await psp.stats()).capturesByKey[key]).toBe(1);
  });

  it('when many flaky cards fail at once, then the circuit stays closed and healthy charges go through', async () => {
    const errors = await Promise.all(Array.from({ length: 40 }, () => failure(charge('tok_flaky'))));
    expect(errors.every((e) => e.scope === 'charge')).toBe(true);
    expect(provider.circuitState()).toBe('closed');
    expect((await charge('tok_visa')).status).toBe('captured');
  });

  it('when the PSP answers slower than the timeout, then the call fails provider-wide and the same key later returns the one capture', async () => {
    const hasty = createFakePspPaymentProvider({ baseUrl: psp.url, timeoutMs: 100 });
    try {
      const key = randomUUID();
      const error = await failure(charge('tok_slow', key, hasty));
      expect(error).toMatchObject({ scope: 'provider', message: expect.stringMatching(/timed out/) });
      await expect.poll(async () => (await psp.stats()).capturesByKey[key], { timeout: 5_000 }).toBe(1);
      expect((await charge('tok_slow', key)).status).toBe('captured');
      expect((await psp.stats()).capturesByKey[key]).toBe(1);
    } finally {
      await hasty.close();
    }
  });

  it('when the PSP is unreachable, then calls fail provider-wide, the circuit opens, and charges fail fast without being sent', async () => {
    const down = createFakePspPaymentProvider({ baseUrl: `http://127.0.0.1:${await closedPort()}`, circuit: { ...twitchy, halfOpenAfterMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i++) expect(await failure(charge('tok_visa', randomUUID(), down))).toMatchObject({ scope: 'provider', notSent: false });
      expect(down.circuitState()).toBe('open');
      const error = await failure(charge('tok_visa', randomUUID(), down));
      expect(error).toMatchObject({ scope: 'provider', notSent: true, message: expect.stringMatching(/circuit is open/) });
      expect(error.retryAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
      expect(await down.availability()).toEqual({ available: false, retryAt: error.retryAt });
    } finally {
      await down.close();
    }
  });

  it('when the open period ends, then the trial is the health probe, not a customer charge, and a flaky card does not re-open it', async () => {
    const backup = await startFakePsp({ logger });
    const port = backup.port;
    const p = createFakePspPaymentProvider({ baseUrl: backup.url, circuit: twitchy });
    try {
      await backup.close();
      for (let i = 0; i < 3; i++) await failure(charge('tok_visa', randomUUID(), p));
      expect(p.circuitState()).toBe('open');
      const first = await p.availability();
      if (first.available) throw new Error('expected the circuit to be open');
      await expect.poll(() => Date.now() >= first.retryAt.getTime(), { timeout: 2_000, interval: 20 }).toBe(true);
      // due for a trial while the PSP is still down: the probe fails, the customer's charge is never sent
      expect(await failure(charge('tok_visa', randomUUID(), p))).toMatchObject({ scope: 'provider', notSent: true });
      const gate = await p.availability();
      if (gate.available) throw new Error('expected the circuit to be open again');
      expect(gate.retryAt.getTime()).toBeGreaterThan(first.retryAt.getTime());

      const back = await startFakePsp({ logger, port });
      try {
        await expect.poll(() => Date.now() >= gate.retryAt.getTime(), { timeout: 2_000, interval: 20 }).toBe(true);
        // the first call after the open period: the probe runs first and closes the circuit;
        // the flaky card then fails on its own, counted for its payment only
        const flaky = await failure(charge('tok_flaky', randomUUID(), p));
        expect(flaky.scope).toBe('charge');
        expect(p.circuitState()).toBe('closed');
        expect((await back.stats()).captures).toBe(0);
        expect((await charge('tok_visa', randomUUID(), p)).status).toBe('captured');
      } finally {
        await back.close();
      }
    } finally {
      await p.close();
    }
  });

  it('when 30 charges and 30 refunds run at once, then no MaxListenersExceededWarning is emitted (one abort signal per call)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      await Promise.allSettled(Array.from({ length: 30 }, (_, i) => charge(i % 2 ? 'tok_slow' : 'tok_flaky')));
      await Promise.allSettled(Array.from({ length: 30 }, () => provider.refund({ reference: 'ch_unknown', idempotencyKey: randomUUID() })));
      // warnings are emitted on the next tick
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((name) => name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
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
