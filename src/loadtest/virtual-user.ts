import { setTimeout as sleep } from 'node:timers/promises';
import { transportErrorKey, type HttpClient, type HttpRequest } from './http-client.js';
import type { RunRecorder } from './run-recorder.js';
import type { ScenarioOptions, VirtualUser, VuResponse } from './scenario.js';

/** mulberry32: tiny, fast, good enough to make flows replayable from a seed */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Each virtual customer comes from its own address (10.0.0.1, 10.0.0.2 … in 10/8), sent as X-Forwarded-For:
 * a shop that trusts the load generator as a proxy (TRUST_PROXY, loopback by default) then applies its
 * per-address limits per virtual customer, as it would to real shoppers, instead of to the one generator.
 */
export function virtualAddress(n: number): string {
  const i = (n % 0xfffffe) + 1;
  return `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
}

const is2xx = (status: number) => status >= 200 && status < 300;

export interface VirtualUserDeps {
  client: HttpClient;
  recorder: RunRecorder;
  options: ScenarioOptions;
  runId: string;
  seed: number;
  signal: AbortSignal;
}

export function createVirtualUser(n: number, deps: VirtualUserDeps): VirtualUser {
  const random = seededRandom(deps.seed * 1_000_003 + n);
  const forwardedFor = virtualAddress(n);
  return {
    n,
    runId: deps.runId,
    options: deps.options,
    random,
    async request(step: string, request: HttpRequest & { expect?: readonly number[] }): Promise<VuResponse> {
      const { expect, headers, ...rest } = request;
      const req = { ...rest, headers: { 'x-forwarded-for': forwardedFor, ...headers } };
      const started = performance.now();
      try {
        const res = await deps.client.send(req, deps.signal);
        const ok = expect ? expect.includes(res.status) : is2xx(res.status);
        deps.recorder.recordResponse(step, performance.now() - started, String(res.status), ok);
        return { status: res.status, body: res.body, ok };
      } catch (error) {
        deps.recorder.recordResponse(step, performance.now() - started, transportErrorKey(error), false);
        return { status: 0, body: undefined, ok: false };
      }
    },
    async think(meanMs = deps.options.thinkTimeMs ?? 0) {
      if (meanMs <= 0 || deps.signal.aborted) return;
      await sleep(meanMs * (0.5 + random()), undefined, { signal: deps.signal }).catch(() => undefined);
    },
    async wait(ms: number) {
      if (deps.signal.aborted) return false;
      if (ms > 0) await sleep(ms, undefined, { signal: deps.signal }).catch(() => undefined);
      return !deps.signal.aborted;
    },
  };
}
