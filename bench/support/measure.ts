import autocannon, { type RequestSpec, type Result } from 'autocannon';
import { startBenchTarget } from './bench-target.js';
import { cpuMs } from './proc-stats.js';

export interface Endpoint {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** per-request customisation (a different cart each time, a fresh idempotency key) */
  setupRequest?: RequestSpec['setupRequest'];
  onResponse?: RequestSpec['onResponse'];
  /** stop after this many requests (a pool of prepared carts), or at the duration, whichever first */
  amount?: number;
  /** seconds of unrecorded warm-up load (JIT, caches); 0 for endpoints that consume prepared data */
  warmupSec?: number;
}

export interface BenchRow {
  endpoint: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  /** the server process's CPU time (user + system) per answered request over the measured run, when its pid is known */
  cpuUsPerRequest?: number;
}

export interface MeasureOptions {
  duration: number;
  connections: number;
  /**
   * The server's pid: its CPU time per request is read from /proc around the run. On a shared, loaded machine
   * req/s (and so every ratio to the ceiling) swings with what else runs; CPU per request barely moves.
   */
  serverPid?: number | undefined;
}

/** user + system CPU of a process so far, in µs; undefined once it is gone */
function cpuUs(pid: number): number | undefined {
  try {
    return cpuMs(pid) * 1000;
  } catch {
    return undefined;
  }
}
function run(url: string, e: Endpoint, duration: number, connections: number): Promise<Result> {
  // autocannon calls any setupRequest/onResponse key it finds, even an undefined one
  const request: RequestSpec = {
    method: e.method ?? 'GET',
    path: e.path,
    headers: { accept: 'application/json', ...(e.body === undefined ? {} : { 'content-type': 'application/json' }), ...e.headers },
    ...(e.body === undefined ? {} : { body: JSON.stringify(e.body) }),
    ...(e.setupRequest ? { setupRequest: e.setupRequest } : {}),
    ...(e.onResponse ? { onResponse: e.onResponse } : {}),
  };
  const instance = autocannon({ url, connections, duration, requests: [request], ...(e.amount ? { amount: e.amount } : {}) });
  // with `amount`, autocannon ignores `duration`: keep the bound ourselves
  const timer = e.amount ? setTimeout(() => instance.stop(), duration * 1000) : undefined;
  return Promise.resolve(instance).finally(() => clearTimeout(timer));
}

/** autocannon against one endpoint; latency in ms, rate averaged over the measured seconds */
export async function measure(url: string, e: Endpoint, o: MeasureOptions): Promise<BenchRow> {
  if (e.warmupSec) await run(url, e, e.warmupSec, o.connections);
  const cpuBefore = o.serverPid ? cpuUs(o.serverPid) : undefined;
  const r = await run(url, e, o.duration, o.connections);
  const cpuAfter = o.serverPid ? cpuUs(o.serverPid) : undefined;
  const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, Number(v.count)]));
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  const cpu = cpuBefore !== undefined && cpuAfter !== undefined && total > 0 ? { cpuUsPerRequest: Math.round(((cpuAfter - cpuBefore) / total) * 10) / 10 } : {};
  return {
    ...cpu,
    endpoint: e.name,
    requests: total,
    rps: Math.round((total / Math.max(r.duration, 0.001)) * 10) / 10,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    statuses,
    seconds: r.duration,
  };
}

/**
 * The ceiling every ratio is taken against: a bare Fastify hello world in its own process, measured
 * with the same options in the same run, then stopped before the shop starts.
 */
export async function measureCeiling(o: MeasureOptions, log: (m: string) => void): Promise<BenchRow> {
  const hello = await startBenchTarget('hello');
  try {
    log('measuring the ceiling: bare Fastify hello world');
    return await measure(hello.url, { name: 'ceiling: Fastify hello world', path: '/', warmupSec: 1 }, { ...o, serverPid: hello.pid });
  } finally {
    await hello.stop();
  }
}
