import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRetryBudget } from '../../../platform/resilience/retry-budget.js';
import { createMetrics } from '../../../platform/telemetry/metrics.js';
import { createFakePspPaymentProvider } from './fake-psp-payment-provider.js';
import { TransientPaymentError, type PaymentProvider } from './payment-provider.js';

/** a PSP that accepts connections and reads requests but never answers (hung, or answering after 30 s) */
async function startSilentPsp() {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => (requests += (chunk.toString('latin1').match(/^(POST|GET) \//gm) ?? []).length));
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const outcome = (work: Promise<unknown>) =>
  work.then(
    () => 'answered',
    (err: unknown) => err as TransientPaymentError,
  );

describe('a PSP that never answers', () => {
  let provider: PaymentProvider | undefined;
  let psp: Awaited<ReturnType<typeof startSilentPsp>> | undefined;
  afterEach(async () => {
    await provider?.close();
    await psp?.close();
  });

  it('when charges meet a silent PSP, then each fails at its timeout, the breaker opens, later charges fail at once without reaching it, and the state is a metric', async () => {
    psp = await startSilentPsp();
    const metrics = createMetrics('test');
    provider = createFakePspPaymentProvider({
      baseUrl: psp.url,
      timeoutMs: 150,
      circuit: { windowMs: 1_000, minimumRps: 2, threshold: 0.5, halfOpenAfterMs: 60_000 },
      metrics,
    });
    const charge = () => provider!.charge({ amount: 100, currency: 'EUR', token: 'tok_visa', idempotencyKey: randomUUID() });
    const started = performance.now();
    const first = await Promise.all(Array.from({ length: 4 }, () => outcome(charge())));
    const firstMs = performance.now() - started;
    for (const err of first) expect(err).toMatchObject({ scope: 'provider', notSent: false });
    // the timeout, not the PSP, decided: well under a second for all four together
    expect(firstMs).toBeLessThan(1_500);
    expect(provider.circuitState()).toBe('open');
    const sentBefore = psp.requests();

    const fastStarted = performance.now();
    const later = await Promise.all(Array.from({ length: 20 }, () => outcome(charge())));
    expect(performance.now() - fastStarted).toBeLessThan(100);
    for (const err of later) expect(err).toMatchObject({ scope: 'provider', notSent: true });
    expect(psp.requests()).toBe(sentBefore);
    expect(await provider.availability()).toMatchObject({ available: false });
    expect(await metrics.registry.metrics()).toMatch(/floodgate_breaker_state\{[^}]*breaker="psp"[^}]*\} 2/);
  });

  it('when refunds meet a silent PSP, then the retry budget caps the retries at a tenth of the calls', async () => {
    psp = await startSilentPsp();
    const metrics = createMetrics('test');
    const budget = createRetryBudget({ dependency: 'psp', minRetries: 0, ratio: 0.1, metrics });
    provider = createFakePspPaymentProvider({
      baseUrl: psp.url,
      // long enough for every request to reach the silent server on a loaded machine
      timeoutMs: 400,
      refundAttempts: 3,
      backoff: { initialDelayMs: 1, maxDelayMs: 5 },
      // the breaker stays out of this test: only the budget limits the retries
      circuit: { minimumRps: 10_000 },
      retryBudget: budget,
      metrics,
    });
    const refunds = await Promise.all(Array.from({ length: 20 }, () => outcome(provider!.refund({ reference: 'ch_x', idempotencyKey: randomUUID() }))));
    for (const err of refunds) expect(err).toBeInstanceOf(TransientPaymentError);
    // 20 calls; without the budget 2 retries each (60 requests), with it 2 retries in all
    expect(psp.requests()).toBeLessThanOrEqual(22);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/floodgate_retries_total\{[^}]*result="attempted"[^}]*\} 2/);
    // 18 first failures refused, and the second retry of the two that got one
    expect(text).toMatch(/floodgate_retries_total\{[^}]*result="refused"[^}]*\} 20/);
  });
});
