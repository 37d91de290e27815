import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmissionController, type AdmissionController } from '../overload/admission-controller.js';
import { CRITICALITIES, type Criticality } from '../overload/criticality.js';
import type { HttpApp } from '../service.js';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics, type Metrics } from '../telemetry/metrics.js';
import { createHttpApp } from './create-http-app.js';

const calm = { eventLoopDelayMs: 0, eventLoopUtilization: 0.1 };
const overload = (ms: number) => ({ eventLoopDelayMs: ms, eventLoopUtilization: 0.95 });

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
    app = await createHttpApp({
      logger: createLogger({ service: 'shedding-test', level: 'silent', pretty: false }),
      metrics,
      authenticate: async ({ bearer }) => {
        authenticated.push(bearer ?? '');
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
              a.post(`/v1/${c}`, { config: { criticality: c, auth: 'any' } }, async () => {
                handled[c] = (handled[c] ?? 0) + 1;
                return { served: c };
              });
            }
            a.get('/v1/unlabelled', async () => ({ served: 'unlabelled' }));
          },
        },
      ],
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
