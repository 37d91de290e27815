import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentDeadline, remainingMs } from '../resilience/deadline.js';
import { requestDeadline } from './request-deadline.js';

const DEADLINE_MS = 3_000;

describe('request deadline plugin', () => {
  const app = Fastify();
  let base: string;
  const seen = () => ({ remainingMs: remainingMs(), inDeadline: currentDeadline() !== undefined });

  beforeAll(async () => {
    await app.register(requestDeadline, { ms: DEADLINE_MS });
    app.get('/deadline', async () => seen());
    app.post('/deadline', async () => {
      // the deadline must survive an await in the handler too
      await new Promise((r) => setImmediate(r));
      return seen();
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  const expectUnderDeadline = (body: { remainingMs: number }) => {
    expect(body.remainingMs).toBeGreaterThan(DEADLINE_MS - 1_000);
    expect(body.remainingMs).toBeLessThanOrEqual(DEADLINE_MS);
  };

  it('when a request without a body arrives, then its handler runs under the configured deadline', async () => {
    expectUnderDeadline((await (await fetch(`${base}/deadline`)).json()) as { remainingMs: number });
  });

  it('when a request with a large body arrives (read from the socket in chunks), then its handler still runs under its own deadline', async () => {
    const post = () => fetch(`${base}/deadline`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ note: 'x'.repeat(900 * 1024) }) });
    const [a, b] = await Promise.all([post(), post()]);
    const [first, second] = [(await a.json()) as { remainingMs: number }, (await b.json()) as { remainingMs: number }];
    expectUnderDeadline(first);
    expectUnderDeadline(second);
  });
});

describe('request deadline on a keep-alive connection', () => {
  const SHORT_MS = 150;
  const app = Fastify();
  let base: string;

  beforeAll(async () => {
    await app.register(requestDeadline, { ms: SHORT_MS });
    app.get('/left', async () => ({ remainingMs: remainingMs() }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  it("when a request arrives after the previous request's deadline on the same connection passed, then it gets its own full deadline", async () => {
    const first = await fetch(`${base}/left`); // fetch keeps the connection alive for the next call
    expect(((await first.json()) as { remainingMs: number }).remainingMs).toBeGreaterThan(0);
    const started = Date.now();
    await expect.poll(() => Date.now() - started, { interval: 50, timeout: 5_000 }).toBeGreaterThan(SHORT_MS * 2);
    const second = (await (await fetch(`${base}/left`)).json()) as { remainingMs: number };
    expect(second.remainingMs).toBeGreaterThan(SHORT_MS / 3);
  });
});
