import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmissionController, type AdmissionController } from '../overload/admission-controller.js';
import { CRITICALITIES, type Criticality } from '../overload/criticality.js';
import type { HttpApp } from '../service.js';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import { createHttpApp } from './create-http-app.js';

const calm = { eventLoopDelayMs: 0, eventLoopUtilization: 0.1 };
const overload = (ms: number) => ({ eventLoopDelayMs: ms, eventLoopUtilization: 0.95 });

interface ClassRoutes {
  /** each class's route: its path and what its handler answers */
  route: (c: Criticality) => { method: 'get' | 'post'; path: string; answer: () => object };
  /** when given, the class routes need a caller, and each bearer token authentication is asked about lands here */
  authenticated?: string[];
  more?: (a: HttpApp) => void;
}

/** an app with one route per class (and /v1/unlabelled) whose controller the test ticks by hand */
function classesApp(name: string, controller: AdmissionController, metrics: Metrics, { route, authenticated, more }: ClassRoutes) {
  return createHttpApp({
    logger: createLogger({ service: name, level: 'silent', pretty: false }),
    metrics,
    authenticate: async ({ bearer }) => {
      authenticated?.push(bearer ?? '');
      return bearer ? { customerId: bearer, role: 'customer', via: 'token' } : null;
    },
    readinessChecks: {},
    // no sampler: the test ticks the controller with made-up signals, so the overload is deterministic
    shedding: { controller },
    modules: [
      {
        name: 'classes',
        client: {},
        routes: (a) => {
          for (const c of CRITICALITIES) {
            const { method, path, answer } = route(c);
            a[method](path, { config: { criticality: c, ...(authenticated ? { auth: 'any' as const } : {}) } }, async () => answer());
          }
          a.get('/v1/unlabelled', async () => ({ served: 'unlabelled' }));
          more?.(a);
        },
      },
    ],
  });
}

describe('priority load shedding over HTTP', () => {
  let app: HttpApp;
  let controller: AdmissionController;
  let metrics: Metrics;
  // what each class's handler did: a shed request must never reach it
  const handled: Record<string, number> = {};
  const authenticated: string[] = [];

  beforeAll(async () => {
    controller = createAdmissionController({ eventLoopDelayMs: 100, concurrency: { initial: 64, min: 8, max: 256 } });
    metrics = createMetrics('shedding_test');
    app = await classesApp('shedding-test', controller, metrics, {
      authenticated,
      route: (c) => ({
        method: 'post',
        path: `/v1/${c}`,
        answer: () => {
          handled[c] = (handled[c] ?? 0) + 1;
          return { served: c };
        },
      }),
    });
  });
  afterAll(() => app?.close());

  const call = (c: Criticality | 'unlabelled', body = '{"x":1}') =>
    app.inject({ method: c === 'unlabelled' ? 'GET' : 'POST', url: `/v1/${c}`, headers: { authorization: 'Bearer customer-1', 'content-type': 'application/json' }, ...(c === 'unlabelled' ? {} : { payload: body }) });
  const served = async () => {
    const out: string[] = [];
    for (const c of CRITICALITIES) if ((await call(c)).statusCode === 200) out.push(c);
    return out;
  };
  const settle = (signals: typeof calm) => {
    for (let i = 0; i < 10; i += 1) controller.tick(signals);
  };

  it('when the pressure rises, then classes are shed lowest first and checkout-class routes last, and the process recovers when it drops', async () => {
    settle(calm);
    expect(await served()).toEqual(['low', 'normal', 'high', 'critical']);
    settle(overload(150));
    expect(await served()).toEqual(['normal', 'high', 'critical']);
    settle(overload(300));
    expect(await served()).toEqual(['high', 'critical']);
    settle(overload(2_000));
    expect(await served()).toEqual(['critical']);
    settle(calm);
    expect(await served()).toEqual(['low', 'normal', 'high', 'critical']);
  });

  it('when a request is shed, then it gets 503 problem+json OVERLOADED with Retry-After, before its token is checked or its body read, and nothing runs', async () => {
    settle(overload(2_000));
    const before = { ...handled };
    const tokensBefore = authenticated.length;
    // a body that is not JSON would be a 400 if it were read: shedding answers first
    const res = await call('low', '{not json');
    settle(calm);
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ status: 503, code: 'OVERLOADED' });
    expect(handled).toEqual(before);
    expect(authenticated.length).toBe(tokensBefore);
  });

  it('when a route declares no criticality, then it is normal: shed with normal, not with low', async () => {
    settle(overload(150));
    expect((await call('unlabelled')).statusCode).toBe(200);
    settle(overload(300));
    expect((await call('unlabelled')).statusCode).toBe(503);
    settle(calm);
  });

  it('when overloaded, then probes keep answering and /metrics and /docs are shed with the lowest class', async () => {
    settle(overload(2_000));
    const [healthz, readyz, metricsAnswer, docs] = await Promise.all(['/healthz', '/readyz', '/metrics', '/docs'].map((url) => app.inject({ url })));
    settle(calm);
    expect([healthz!.statusCode, readyz!.statusCode, metricsAnswer!.statusCode, docs!.statusCode]).toEqual([200, 200, 503, 503]);
  });

  it('when requests are shed, then the shed counter says which class and why', async () => {
    settle(overload(300));
    await call('normal');
    settle(calm);
    const text = await metrics.registry.getSingleMetricAsString('floodgate_shed_requests_total');
    expect(text).toMatch(/floodgate_shed_requests_total\{priority="normal",reason="event-loop",service="shedding_test"\} [1-9]/);
  });

  it('when requests finish, then none stays counted in flight', async () => {
    await Promise.all(Array.from({ length: 20 }, () => call('high')));
    expect(controller.state().inFlight).toBe(0);
  });
});

describe('load shedding for latency over HTTP', () => {
  let app: HttpApp;
  let controller: AdmissionController;
  let t = 0;
  // the handler of /v1/slow-write starts its write, then waits for the test to let it finish
  const writes: string[] = [];
  let finishWrite: () => void = () => {};
  let writeStarted: () => void = () => {};

  beforeAll(async () => {
    controller = createAdmissionController({
      eventLoopDelayMs: 100,
      concurrency: { initial: 10_000, min: 10, max: 10_000 },
      latency: { targetMs: { low: 100, normal: 100, high: 150, critical: 250 }, intervalMs: 500, recoveryMs: 1_000 },
      now: () => t,
    });
    app = await classesApp('shedding-latency-test', controller, createMetrics('shedding_latency_test'), {
      route: (c) => ({ method: 'get', path: `/v1/${c}`, answer: () => ({ served: c }) }),
      more: (a) =>
        a.post('/v1/slow-write', { config: { criticality: 'low' } }, async () => {
          writes.push('begun');
          await new Promise<void>((resolve) => {
            finishWrite = resolve;
            writeStarted();
          });
          writes.push('committed');
          return { written: true };
        }),
    });
  });
  afterAll(() => app?.close());

  const call = (c: Criticality) => app.inject({ url: `/v1/${c}` });
  /** one 250 ms sample in which 4 checkout-class requests at once wait `ms` in the process */
  const slowSample = (ms: number) => {
    const admitted = Array.from({ length: 4 }, () => controller.admit('critical'));
    t += ms;
    for (const a of admitted) if (a.admitted) a.release();
    t += 250;
    controller.tick(calm);
  };

  it('when checkout-class requests wait past their target, then browsing is shed with 503 problem+json and Retry-After; when they are fast again, everything is served within the recovery time', async () => {
    for (let i = 0; i < 12; i += 1) slowSample(400);
    expect(controller.state().shedByLatency).toEqual(['low', 'normal', 'high']);
    const [low, normal, high, critical] = await Promise.all(CRITICALITIES.map(call));
    expect([low!.statusCode, normal!.statusCode, high!.statusCode, critical!.statusCode]).toEqual([503, 503, 503, 200]);
    expect(low!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(low!.headers['retry-after']).toBe('5');
    expect(normal!.headers['retry-after']).toBe('2');
    expect(low!.json()).toMatchObject({ status: 503, code: 'OVERLOADED' });

    const droppedAt = t;
    while (controller.state().shedByLatency.length > 0 && t - droppedAt < 10_000) slowSample(5);
    expect(t - droppedAt).toBeLessThanOrEqual(3_500);
    const after = await Promise.all(CRITICALITIES.map(call));
    expect(after.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
  });

  it('when a request has begun writing and its class is then shed, then it still finishes and answers 200', async () => {
    for (let i = 0; i < 12; i += 1) slowSample(5);
    const started = new Promise<void>((resolve) => (writeStarted = resolve));
    const answer = app.inject({ method: 'POST', url: '/v1/slow-write' });
    await started;
    for (let i = 0; i < 12; i += 1) slowSample(400);
    expect(controller.state().shedByLatency).toContain('low');
    expect((await call('low')).statusCode).toBe(503);
    finishWrite();
    const res = await answer;
    expect(res.statusCode).toBe(200);
    expect(writes).toEqual(['begun', 'committed']);
    // and one that arrives now is refused before its handler runs
    const refused = await app.inject({ method: 'POST', url: '/v1/slow-write' });
    expect(refused.statusCode).toBe(503);
    expect(writes).toEqual(['begun', 'committed']);
  });
});

describe('load shedding ahead of the framework (real HTTP: the lane gate)', () => {
  let app: HttpApp;
  let controller: AdmissionController;
  let metrics: Metrics;
  let base = '';
  const handled: Record<string, number> = {};
  const authenticated: string[] = [];

  beforeAll(async () => {
    controller = createAdmissionController({ eventLoopDelayMs: 100, concurrency: { initial: 64, min: 8, max: 256 } });
    metrics = createMetrics('shedding_gate_test');
    app = await classesApp('shedding-gate-test', controller, metrics, {
      authenticated,
      route: (c) => ({
        method: 'post',
        path: `/v1/${c}/:id`,
        answer: () => {
          handled[c] = (handled[c] ?? 0) + 1;
          return { served: c, inFlight: controller.state().inFlight };
        },
      }),
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => app?.close());

  const post = (c: Criticality, body = '{"x":1}', headers: Record<string, string> = {}) =>
    fetch(`${base}/v1/${c}/42?q=1`, { method: 'POST', headers: { authorization: 'Bearer customer-1', 'content-type': 'application/json', ...headers }, body });
  const settle = (signals: typeof calm) => {
    for (let i = 0; i < 10; i += 1) controller.tick(signals);
  };

  it('when a request is shed, then the gate answers 503 problem+json as the framework would (plus the request id and security headers), before its token is checked or its body read', async () => {
    settle(overload(2_000));
    const before = { ...handled };
    const tokensBefore = authenticated.length;
    const res = await post('low', '{not json', { 'x-request-id': 'gate-test-0001' });
    const viaFramework = await app.inject({ method: 'POST', url: '/v1/low/42?q=1', headers: { authorization: 'Bearer customer-1', 'content-type': 'application/json' }, payload: '{not json' });
    settle(calm);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe(viaFramework.headers['content-type']);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('x-request-id')).toBe('gate-test-0001');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ ...viaFramework.json(), requestId: 'gate-test-0001' });
    expect(body).toMatchObject({ status: 503, code: 'OVERLOADED', instance: '/v1/low/42?q=1' });
    expect(handled).toEqual(before);
    expect(authenticated.length).toBe(tokensBefore);
  });

  it('when a request is shed by the gate, then the shed counter and the HTTP duration metric name its class and route', async () => {
    settle(overload(300));
    expect((await post('normal')).status).toBe(503);
    settle(calm);
    const shedText = await metrics.registry.getSingleMetricAsString('floodgate_shed_requests_total');
    expect(shedText).toMatch(/floodgate_shed_requests_total\{priority="normal",reason="event-loop",service="shedding_gate_test"\} [1-9]/);
    const durations = await metrics.registry.getSingleMetricAsString('floodgate_http_request_duration_seconds');
    expect(durations).toMatch(/floodgate_http_request_duration_seconds_count\{[^}]*route="\/v1\/normal\/:id"[^}]*status="503"[^}]*\} [1-9]/);
  });

  it('when the gate admits a request, then the framework does not admit it again: one request is one in flight', async () => {
    const res = await post('critical');
    expect(await res.json()).toEqual({ served: 'critical', inFlight: 1 });
  });

  it('when the classes above the shed ones are asked, then they are admitted and served, and none stays counted in flight', async () => {
    settle(overload(300));
    const answers = await Promise.all([...Array.from({ length: 10 }, () => post('high')), ...Array.from({ length: 10 }, () => post('critical'))]);
    settle(calm);
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
    await Promise.all(answers.map((r) => r.arrayBuffer()));
    // released by the framework's hooks (and once more, without effect, when the response closes)
    const deadline = Date.now() + 2_000;
    while (controller.state().inFlight !== 0 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    expect(controller.state().inFlight).toBe(0);
  });

  it('when a URL matches no route, then the gate leaves it to the framework: a 404, shed only as the normal class it gets there', async () => {
    settle(overload(150));
    const missing = await fetch(`${base}/v1/nowhere/at/all`);
    expect(missing.status).toBe(404);
    settle(overload(300));
    expect((await fetch(`${base}/v1/nowhere/at/all`)).status).toBe(503);
    settle(calm);
  });
});
