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
  /**
   * Measured in slices alternating with the ceiling (measurePaired): the ceiling over the slices beside this
   * row's, which its ratio is taken against instead of the run's overall ceiling.
   */
  pairedCeiling?: BenchRow;
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

/** the bare Fastify hello world every ratio is taken against */
const CEILING: Endpoint = { name: 'ceiling: Fastify hello world', path: '/' };

export interface Target {
  url: string;
  pid?: number | undefined;
}

/**
 * A B A B …: the ceiling and the endpoint measured in `rounds` alternating slices of `duration / rounds`
 * seconds each, both servers running all along, so that a change in the box's speed during the run (other
 * work, CPU steal: on a shared 2-core VM the ceiling moved by 77 % between two runs a quarter hour apart)
 * moves both sides of the ratio alike. Requests and CPU are summed over the slices; p50 is the slices'
 * median, p99 their worst.
 */
export async function measurePaired(ceiling: Target, shop: Target, e: Endpoint, o: MeasureOptions & { rounds: number }): Promise<{ row: BenchRow; ceiling: BenchRow }> {
  if (e.amount) throw new Error(`${e.name}: an endpoint that consumes prepared data (amount) cannot be measured in slices`);
  const sliceSec = Math.max(1, o.duration / o.rounds);
  if (e.warmupSec) await run(shop.url, e, e.warmupSec, o.connections);
  await run(ceiling.url, CEILING, 1, o.connections);
  const a: BenchRow[] = [];
  const b: BenchRow[] = [];
  for (let i = 0; i < o.rounds; i++) {
    const hello = await measure(ceiling.url, CEILING, { duration: sliceSec, connections: o.connections, serverPid: ceiling.pid });
    const answered = await measure(shop.url, { ...e, warmupSec: 0 }, { duration: sliceSec, connections: o.connections, serverPid: shop.pid });
    a.push(hello);
    b.push(answered);
    // each pair on its own line: the spread between slices (the box's noise, the shop's JIT still warming) is
    // what a combined ratio hides
    process.stderr.write(`  slice ${i + 1}/${o.rounds}: ${sliceNote(hello)} | ${sliceNote(answered)} → ${(answered.rps / Math.max(hello.rps, 0.001)).toFixed(3)}\n`);
  }
  const c = combine(CEILING.name, a);
  return { ceiling: c, row: { ...combine(e.name, b), pairedCeiling: c } };
}

const sliceNote = (r: BenchRow) => `${Math.round(r.rps)} req/s${r.cpuUsPerRequest === undefined ? '' : ` ${r.cpuUsPerRequest} µs`}`;

/** one row from several slices of the same endpoint */
export function combine(endpoint: string, slices: readonly BenchRow[]): BenchRow {
  const requests = slices.reduce((n, r) => n + r.requests, 0);
  const seconds = slices.reduce((n, r) => n + r.seconds, 0);
  const statuses: Record<string, number> = {};
  for (const r of slices) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const p50s = slices.map((r) => r.p50).sort((x, y) => x - y);
  const withCpu = slices.every((r) => r.cpuUsPerRequest !== undefined) && requests > 0;
  const cpuUs = slices.reduce((n, r) => n + (r.cpuUsPerRequest ?? 0) * r.requests, 0);
  return {
    endpoint,
    requests,
    rps: Math.round((requests / Math.max(seconds, 0.001)) * 10) / 10,
    p50: p50s[Math.floor((p50s.length - 1) / 2)] ?? 0,
    p99: Math.max(0, ...slices.map((r) => r.p99)),
    non2xx: slices.reduce((n, r) => n + r.non2xx, 0),
    errors: slices.reduce((n, r) => n + r.errors, 0),
    statuses,
    seconds,
    ...(withCpu ? { cpuUsPerRequest: Math.round((cpuUs / requests) * 10) / 10 } : {}),
  };
}

/**
 * The ceiling every ratio is taken against: a bare Fastify hello world in its own process, measured with the
 * same options in the same run. Started and stopped here before the shop starts, unless `running` is given: a
 * ceiling kept up beside the shop for measurePaired.
 */
export async function measureCeiling(o: MeasureOptions, log: (m: string) => void, running?: Target): Promise<BenchRow> {
  const measureOn = (hello: Target) => {
    log('measuring the ceiling: bare Fastify hello world');
    return measure(hello.url, { ...CEILING, warmupSec: 1 }, { ...o, serverPid: hello.pid });
  };
  if (running) return measureOn(running);
  const hello = await startBenchTarget('hello');
  try {
    return await measureOn(hello);
  } finally {
    await hello.stop();
  }
}
