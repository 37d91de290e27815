import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmissionController } from '../overload/admission-controller.js';
import type { HttpApp } from '../service.js';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import Fastify, { type FastifyInstance } from 'fastify';
import { AppError } from './app-error.js';
import { createHttpApp } from './create-http-app.js';
import { registerProblemDetails } from './problem-details.js';
import { requestLog, requestLogLevel } from './request-log.js';

type Line = { level: number; msg: string; route?: string; status?: number; code?: string; folded?: number };

async function appLoggingAt(level: string, slowRequestMs?: number, shedding?: ReturnType<typeof createAdmissionController>) {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Line);
      done();
    },
  });
  const app: HttpApp = await createHttpApp({
    logger: createLogger({ service: 'request-log-test', level, pretty: false, destination: stream }),
    metrics: createMetrics(`request_log_${level}`),
    authenticate: async () => null,
    readinessChecks: { database: async () => {} },
    ...(slowRequestMs === undefined ? {} : { slowRequestMs }),
    ...(shedding ? { shedding: { controller: shedding } } : {}),
    modules: [{ name: 'things', client: {}, routes: (a) => {
      a.get('/v1/things', async () => ({ items: [] }));
      a.get('/v1/search', { config: { criticality: 'low' } }, async () => ({ items: [] }));
      a.get('/v1/broken', async () => { throw new Error('boom'); });
    } }],
  });
  const requestLines = () => lines.filter((l) => l.msg === 'request');
  return { app, requestLines };
}

describe('request log levels', () => {
  it('when answers succeed, fail, are slow or are probes, then each gets its level', () => {
    expect(requestLogLevel(200, 5, 1_000, false)).toBe('debug');
    expect(requestLogLevel(304, 5, 1_000, false)).toBe('debug');
    expect(requestLogLevel(404, 5, 1_000, false)).toBe('info');
    expect(requestLogLevel(503, 5, 1_000, false)).toBe('warn');
    expect(requestLogLevel(200, 1_500, 1_000, false)).toBe('warn');
    expect(requestLogLevel(200, 5, 1_000, true)).toBeUndefined();
    expect(requestLogLevel(503, 5, 1_000, true)).toBe('warn');
  });
});

describe('request logs under load shedding', () => {
  it('when answers are shed, then no line is written for each (they are counted); a failure is still logged', async () => {
    const controller = createAdmissionController({ eventLoopDelayMs: 100, concurrency: { initial: 1_000, min: 10, max: 1_000 } });
    const ctx = await appLoggingAt('info', undefined, controller);
    try {
      for (let i = 0; i < 10; i += 1) controller.tick({ eventLoopDelayMs: 150, eventLoopUtilization: 0.9 });
      const shed = await Promise.all(Array.from({ length: 5 }, () => ctx.app.inject({ method: 'GET', url: '/v1/search' })));
      expect(shed.map((r) => r.statusCode)).toEqual([503, 503, 503, 503, 503]);
      expect((await ctx.app.inject({ method: 'GET', url: '/v1/broken' })).statusCode).toBe(500);
      expect(ctx.requestLines().map((l) => [l.route, l.status])).toEqual([['/v1/broken', 500]]);
    } finally {
      await ctx.app.close();
    }
  });
});

describe('request logs at info (the default level)', () => {
  let ctx: Awaited<ReturnType<typeof appLoggingAt>>;
  beforeAll(async () => { ctx = await appLoggingAt('info'); });
  afterAll(() => ctx.app.close());

  it('when a request succeeds, then no line is written; when one is refused or fails, then it is logged', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/things' })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/nowhere' })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: '/v1/broken' })).statusCode).toBe(500);
    expect(ctx.requestLines().map((l) => [l.route, l.status, l.level])).toEqual([['unmatched', 404, 30], ['/v1/broken', 500, 40]]);
  });

  it('when probes and scrapes succeed, then they are never logged', async () => {
    const before = ctx.requestLines().length;
    for (const url of ['/healthz', '/readyz', '/metrics']) expect((await ctx.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    expect(ctx.requestLines()).toHaveLength(before);
  });
});

describe('request logs at debug', () => {
  it('when a request succeeds, then its line is written at debug; probes still are not', async () => {
    const { app, requestLines } = await appLoggingAt('debug');
    try {
      await app.inject({ method: 'GET', url: '/v1/things' });
      await app.inject({ method: 'GET', url: '/healthz' });
      expect(requestLines().map((l) => [l.route, l.status, l.level])).toEqual([['/v1/things', 200, 20]]);
    } finally {
      await app.close();
    }
  });

  it('when a request takes longer than LOG_SLOW_REQUEST_MS, then it is logged at warn even at the info level', async () => {
    const { app, requestLines } = await appLoggingAt('info', 0);
    try {
      await app.inject({ method: 'GET', url: '/v1/things' });
      expect(requestLines().map((l) => [l.route, l.status, l.level])).toEqual([['/v1/things', 200, 40]]);
    } finally {
      await app.close();
    }
  });
});

describe('request lines alike, folded', () => {
  type Folded = Line & { method?: string; folded?: number };
  async function foldingApp(repeatsPerSecond: number, now: () => number, level = 'info') {
    const lines: Folded[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Folded);
        done();
      },
    });
    const app = Fastify({ loggerInstance: createLogger({ service: 'fold-test', level, pretty: false, destination: stream }) });
    await app.register(requestLog, { metrics: createMetrics(`fold_${level}_${repeatsPerSecond}`), slowMs: 1_000, repeatsPerSecond, now });
    registerProblemDetails(app as unknown as FastifyInstance);
    app.post('/v1/sold-out', async (_req, reply) => reply.code(409).send({ code: 'FLASH_SALE_SOLD_OUT' }));
    // refusals the way routes make them: a catalogue error thrown, answered by the problem-details handler
    app.post('/v1/refused-sold-out', async () => { throw new AppError('THING_SOLD_OUT', 'conflict', 'sold out'); });
    app.post('/v1/refused-over-limit', async () => { throw new AppError('THING_LIMIT_REACHED', 'rate_limited', 'at your limit'); });
    app.get('/v1/ok', async () => ({ ok: true }));
    return { app, lines };
  }

  it('when a sold-out flood answers 409 past the budget, then the first lines are written and the rest reported as one count, by route and status', async () => {
    let now = 0;
    const { app, lines } = await foldingApp(3, () => now);
    for (let i = 0; i < 25; i++) expect((await app.inject({ method: 'POST', url: '/v1/sold-out' })).statusCode).toBe(409);
    now = 1_000;
    for (let i = 0; i < 2; i++) await app.inject({ method: 'POST', url: '/v1/sold-out' });
    await app.close();
    const written = lines.filter((l) => l.msg === 'request');
    expect(written).toHaveLength(3 + 2);
    const folded = lines.filter((l) => l.msg === 'request lines folded');
    // the first second's 22 beyond its 3; the second window kept to its budget
    expect(folded.map((l) => [l.route, l.method, l.status, l.folded, l.level])).toEqual([['/v1/sold-out', 'POST', 409, 22, 30]]);
    expect(written.length + folded.reduce((n, l) => n + (l.folded ?? 0), 0)).toBe(27);
  });

  it('when a route refuses with a catalogue error, then its one request line names the code, and a flood of them is folded by code', async () => {
    const { app, lines } = await foldingApp(3, () => 0);
    for (let i = 0; i < 25; i++) expect((await app.inject({ method: 'POST', url: '/v1/refused-sold-out' })).statusCode).toBe(409);
    for (let i = 0; i < 2; i++) expect((await app.inject({ method: 'POST', url: '/v1/refused-over-limit' })).statusCode).toBe(429);
    await app.close();
    const written = lines.filter((l) => l.msg === 'request');
    expect(written.map((l) => [l.route, l.status, l.code])).toEqual([
      ...Array(3).fill(['/v1/refused-sold-out', 409, 'THING_SOLD_OUT']),
      ['/v1/refused-over-limit', 429, 'THING_LIMIT_REACHED'],
      ['/v1/refused-over-limit', 429, 'THING_LIMIT_REACHED'],
    ]);
    // one line per refusal, no second one beside it: 27 refusals are 5 lines and one count of the other 22
    expect(lines.filter((l) => l.msg !== 'request' && l.msg !== 'request lines folded' && l.code)).toEqual([]);
    expect(lines.filter((l) => l.msg === 'request lines folded').map((l) => [l.route, l.status, l.code, l.folded])).toEqual([['/v1/refused-sold-out', 409, 'THING_SOLD_OUT', 22]]);
  });

  it('when folding is off (0), or the level is debug, then every line is written', async () => {
    const off = await foldingApp(0, () => 0);
    for (let i = 0; i < 10; i++) await off.app.inject({ method: 'POST', url: '/v1/sold-out' });
    await off.app.close();
    expect(off.lines.filter((l) => l.msg === 'request')).toHaveLength(10);
    const debug = await foldingApp(2, () => 0, 'debug');
    for (let i = 0; i < 10; i++) await debug.app.inject({ method: 'GET', url: '/v1/ok' });
    await debug.app.close();
    expect(debug.lines.filter((l) => l.msg === 'request')).toHaveLength(10);
    expect(debug.lines.filter((l) => l.msg === 'request lines folded')).toHaveLength(0);
  });
});
