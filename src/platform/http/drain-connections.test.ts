import { connect, type AddressInfo, type Socket } from 'node:net';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import { createHttpApp } from './create-http-app.js';
import { trackConnections } from './drain-connections.js';

const CONNECTIONS = 5;

/** A real server with one fast route and one that answers when the test says so, stopped the way all-in-one stops. */
async function startServer() {
  let draining = false;
  let releaseSlow!: () => void;
  const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
  const app = await createHttpApp({
    logger: createLogger({ service: 'drain-test', level: 'silent', pretty: false }),
    metrics: createMetrics('drain_test'),
    authenticate: async () => null,
    readinessChecks: {},
    isDraining: () => draining,
    modules: [
      {
        name: 'things',
        client: {},
        routes: (a) => {
          a.get('/v1/fast', async () => ({ ok: true }));
          a.get('/v1/slow', async () => {
            await slowGate;
            return { ok: true };
          });
        },
      },
    ],
  });
  const connections = trackConnections(app.server);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const stop = async (idleGraceMs: number, timeoutMs = 10_000) => {
    draining = true;
    const drained = await connections.drain({ idleGraceMs, timeoutMs });
    connections.closeUnused();
    await app.close();
    return drained;
  };
  return { url, connections, stop, releaseSlow };
}

const pools: Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.destroy()));
});

/** `CONNECTIONS` keep-alive connections, opened by parallel requests the server holds until all have arrived. */
async function openKeepAliveConnections(server: Awaited<ReturnType<typeof startServer>>) {
  const pool = new Pool(server.url, { connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 60_000 });
  pools.push(pool);
  const warmups = Array.from({ length: CONNECTIONS }, () => pool.request({ path: '/v1/slow', method: 'GET' }));
  await expect.poll(() => server.connections.open()).toBe(CONNECTIONS);
  server.releaseSlow();
  for (const res of await Promise.all(warmups)) {
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe('keep-alive');
    await res.body.dump();
  }
  return pool;
}

describe('connection drain on shutdown', () => {
  it('when the server stops while clients hold keep-alive connections and keep sending, then every request is answered with Connection: close and none is reset', async () => {
    const server = await startServer();
    const pool = await openKeepAliveConnections(server);
    expect(pool.stats.connected).toBe(CONNECTIONS);

    const stopping = server.stop(500);
    // requests sent after the stop began, on the connections that were already open (and more than there are)
    const outcomes = await Promise.all(
      Array.from({ length: CONNECTIONS * 3 }, () =>
        pool.request({ path: '/v1/fast', method: 'GET' }).then(
          async (res) => {
            await res.body.dump();
            return { status: res.statusCode, connection: res.headers.connection };
          },
          (err: Error & { code?: string }) => ({ error: `${err.code ?? ''} ${err.message}` }),
        ),
      ),
    );
    await stopping;

    expect(outcomes.filter((o) => 'error' in o)).toEqual([]);
    expect(outcomes.every((o) => 'status' in o && o.status === 200 && o.connection === 'close')).toBe(true);
    await expect.poll(() => server.connections.open()).toBe(0);
  });

  it('when a request is in flight at stop, then it completes with Connection: close and idle connections are closed after the grace', async () => {
    const server = await startServer();
    const pool = new Pool(server.url, { connections: 2, pipelining: 1, keepAliveTimeout: 60_000 });
    pools.push(pool);
    const fast = await pool.request({ path: '/v1/fast', method: 'GET' });
    await fast.body.dump();
    const slow = pool.request({ path: '/v1/slow', method: 'GET' });
    await expect.poll(() => server.connections.open()).toBe(2);

    const started = Date.now();
    const stopping = server.stop(300);
    setTimeout(server.releaseSlow, 100);
    const res = await slow;
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe('close');
    await res.body.dump();
    const drained = await stopping;
    // the idle connection was left its grace, then closed by app.close(); nothing was left open
    expect(drained.waitedMs).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await expect.poll(() => server.connections.open()).toBe(0);
  });

  it('when a client holds a connection it never sent a byte on, and a request is still in flight when the drain times out, then the silent connection is closed, the request completes, and the stop does not wait for the silent one', async () => {
    const server = await startServer();
    const silent: Socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    const silentClosed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    silent.on('error', () => {});
    const pool = new Pool(server.url, { connections: 1, pipelining: 1 });
    pools.push(pool);
    const slow = pool.request({ path: '/v1/slow', method: 'GET' });
    await expect.poll(() => server.connections.open()).toBe(2);

    // the drain gives up after 200 ms with the slow request in flight; Node's close would then wait for the
    // silent connection until its headers timeout (minutes), which closeUnused cuts short
    const stopping = server.stop(50, 200);
    await silentClosed;
    await expect.poll(() => server.connections.open()).toBe(1);
    server.releaseSlow();
    const res = await slow;
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe('close');
    await res.body.dump();
    await stopping;
    await expect.poll(() => server.connections.open()).toBe(0);
  });
});
