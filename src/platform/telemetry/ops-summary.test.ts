import { describe, expect, it } from 'vitest';
import { registerCollectGauge } from './collect-gauge.js';
import { createMetrics } from './metrics.js';
import { createOpsSummary, quantileFromBuckets, routeGroupOf } from './ops-summary.js';

const observe = (metrics: ReturnType<typeof createMetrics>, route: string, status: number, seconds: number, times = 1) => {
  for (let i = 0; i < times; i++) metrics.httpDuration.observe({ route, method: 'GET', status: String(status) }, seconds);
};

describe('ops summary', () => {
  it('when routes are grouped, then the group is the first two path segments', () => {
    expect(routeGroupOf('/v1/products/:idOrSlug')).toBe('/v1/products');
    expect(routeGroupOf('/v1/carts/:id/items/:itemId')).toBe('/v1/carts');
    expect(routeGroupOf('/healthz')).toBe('/healthz');
    expect(routeGroupOf('unmatched')).toBe('unmatched');
  });

  it('when the p99 is taken from buckets, then it interpolates inside the bucket like histogram_quantile', () => {
    const buckets = [{ le: 0.01, count: 50 }, { le: 0.1, count: 100 }, { le: Infinity, count: 100 }];
    expect(quantileFromBuckets(0.5, buckets)).toBeCloseTo(0.01);
    expect(quantileFromBuckets(0.99, buckets)).toBeCloseTo(0.01 + 0.09 * (49 / 50));
    expect(quantileFromBuckets(0.99, [{ le: 1, count: 0 }, { le: Infinity, count: 5 }])).toBe(1);
    expect(quantileFromBuckets(0.99, [{ le: Infinity, count: 0 }])).toBeNull();
  });

  it('when traffic arrives between two samples, then rates, p99 and error rate describe only that interval', async () => {
    const metrics = createMetrics('catalog');
    let clock = 1_000_000;
    const summary = createOpsSummary(metrics, { minIntervalMs: 0, now: () => clock });
    observe(metrics, '/v1/products', 200, 0.003, 500); // before the first sample: not part of the interval
    const first = await summary.sample();
    expect(first.intervalSeconds).toBe(0);
    expect(first.total.rps).toBe(0);

    observe(metrics, '/v1/products', 200, 0.003, 90);
    observe(metrics, '/v1/products/:idOrSlug', 200, 0.2, 10);
    observe(metrics, '/v1/checkout', 503, 0.04, 5);
    observe(metrics, '/v1/checkout', 202, 0.04, 15);
    observe(metrics, '/ops/summary.json', 200, 0.001, 50);
    clock += 50;
    const second = await summary.sample();
    summary.stop();

    expect(second.service).toBe('catalog');
    expect(second.intervalSeconds).toBeGreaterThan(0);
    const products = second.routes.find((r) => r.group === '/v1/products')!;
    expect(products.requests).toBe(100);
    expect(products.rps).toBeCloseTo(100 / second.intervalSeconds);
    expect(products.p99Ms).toBeGreaterThan(100); // the 10 slow detail reads are the top 10 %
    expect(products.errorRate).toBe(0);
    const checkout = second.routes.find((r) => r.group === '/v1/checkout')!;
    expect(checkout.errorRate).toBe(0.25);
    expect(second.routes.map((r) => r.group).sort()).toEqual(['/v1/checkout', '/v1/products']);
    expect(second.total.requests).toBe(120);
  });

  it('when order events are published and outboxes hold events, then orders per second by status and the backlog are reported', async () => {
    const metrics = createMetrics('orders');
    const published = metrics.counter('floodgate_bus_published_total', 'Events', ['type']);
    registerCollectGauge(metrics, 'floodgate_outbox_backlog', 'Backlog', () => 12, { labels: { schema: 'orders' } });
    const summary = createOpsSummary(metrics, { minIntervalMs: 0 });
    await summary.sample();
    published.inc({ type: 'order.placed' }, 8);
    published.inc({ type: 'order.paid' }, 6);
    published.inc({ type: 'payment.captured' }, 6);
    await new Promise((r) => setTimeout(r, 50));
    const s = await summary.sample();
    summary.stop();
    expect(Object.keys(s.ordersPerSecond).sort()).toEqual(['paid', 'placed']);
    expect(s.ordersPerSecond.placed! * s.intervalSeconds).toBeCloseTo(8);
    expect(s.outboxBacklog).toEqual({ orders: 12 });
    expect(s.rssBytes).toBeGreaterThan(0);
    expect(s.eventLoopLagMs.p99).toBeGreaterThanOrEqual(0);
  });

  it('when flash-sale answers are counted, then the summary reports them per second; a process without a sale reports none', async () => {
    const metrics = createMetrics('flash');
    const summary = createOpsSummary(metrics, { minIntervalMs: 0 });
    expect((await summary.sample()).flashSale).toBeNull();
    // the flash-sales service's counter, as createSpikePathMetrics registers it
    const requests = metrics.counter('floodgate_flash_sale_requests_total', 'Flash-sale joins, polls and reservations by outcome', ['step', 'outcome']);
    requests.inc({ step: 'join', outcome: 'joined' }, 40);
    await summary.sample();
    requests.inc({ step: 'join', outcome: 'joined' }, 10);
    requests.inc({ step: 'poll', outcome: 'waiting' }, 30);
    requests.inc({ step: 'poll', outcome: 'admitted' }, 6);
    requests.inc({ step: 'reserve', outcome: 'reserved' }, 4);
    requests.inc({ step: 'reserve', outcome: 'sold_out' }, 2);
    requests.inc({ step: 'reserve', outcome: 'FLASH_SALE_LIMIT_REACHED' }, 1);
    await new Promise((r) => setTimeout(r, 50));
    const s = await summary.sample();
    summary.stop();
    const per = (n: number) => n / s.intervalSeconds;
    expect(s.flashSale!.joined).toBeCloseTo(per(10));
    expect(s.flashSale!.waiting).toBeCloseTo(per(30));
    expect(s.flashSale!.admitted).toBeCloseTo(per(6));
    expect(s.flashSale!.polls).toBeCloseTo(per(36));
    expect(s.flashSale!.reserved).toBeCloseTo(per(4));
    expect(s.flashSale!.soldOut).toBeCloseTo(per(2));
  });

  it('when several viewers poll at once, then they share one sample', async () => {
    const metrics = createMetrics('test');
    const summary = createOpsSummary(metrics, { minIntervalMs: 10_000 });
    const [a, b] = await Promise.all([summary.sample(), summary.sample()]);
    const c = await summary.sample();
    summary.stop();
    expect(b).toBe(a);
    expect(c).toBe(a);
  });
});

describe('ops summary: resilience', () => {
  it('when a breaker is open, a budget refused retries and a switch is degraded, then the summary lists each', async () => {
    const metrics = createMetrics('test');
    metrics.gauge('floodgate_breaker_state', 'b', ['breaker']).set({ breaker: 'psp' }, 2);
    const retries = metrics.counter('floodgate_retries_total', 'r', ['dependency', 'result']);
    retries.inc({ dependency: 'psp', result: 'attempted' }, 3);
    retries.inc({ dependency: 'psp', result: 'refused' }, 7);
    metrics.gauge('floodgate_degradation_active', 'd', ['switch']).set({ switch: 'search' }, 1);
    const summary = createOpsSummary(metrics);
    const { resilience } = await summary.sample();
    summary.stop();
    expect(resilience).toEqual({
      breakers: [{ breaker: 'psp', state: 'open' }],
      retries: [{ dependency: 'psp', attempted: 3, refused: 7 }],
      switches: [{ name: 'search', degraded: true }],
    });
  });
});
