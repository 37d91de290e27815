import { describe, expect, it } from 'vitest';
import { capacityCheck, countersCheck, pageCheck, pollRateCheck, rateLimitCheck, saleStatusCheck, verdict, type AdminSaleDetail } from './preflight-checks.js';

const sale = (over: Partial<AdminSaleDetail> = {}): AdminSaleDetail => ({
  id: 's1',
  status: 'scheduled',
  paused: false,
  quantity: 100,
  admissionRatePerSecond: 50,
  startsAt: '2030-01-01T09:00:00Z',
  counters: { available: 90, held: 4, sold: 6, queueLength: 0, frontier: 0 },
  reservations: { held: 4, ordered: 2, sold: 4 },
  ...over,
});

describe('preflight checks', () => {
  it('when the counters say what PostgreSQL says, then they pass; when one differs or they are missing, then they fail naming it', () => {
    expect(countersCheck(sale()).status).toBe('passed');
    expect(countersCheck(sale({ counters: { available: 91, held: 4, sold: 6, queueLength: 0, frontier: 0 } }))).toMatchObject({ status: 'failed', detail: expect.stringContaining('available 91 (database 90)') });
    expect(countersCheck(sale({ counters: null }))).toMatchObject({ status: 'failed', detail: expect.stringContaining('not loaded') });
  });

  it('when a page is slow, not cacheable or failing, then its check fails', () => {
    const fast = { path: '/sale/s1', statuses: [200, 200], timings: [2, 3], cacheControl: 'public, max-age=60' };
    expect(pageCheck(fast, 50).status).toBe('passed');
    expect(pageCheck({ ...fast, cacheControl: 'no-store' }, 50).status).toBe('failed');
    expect(pageCheck({ ...fast, timings: [80, 90] }, 50).status).toBe('failed');
    expect(pageCheck({ ...fast, statuses: [200, 503] }, 50).status).toBe('failed');
  });

  it('when admission outpaces checkout, or no capacity is known, then the capacity check fails', () => {
    expect(capacityCheck(50, { perSecond: 160, source: 'given' }).status).toBe('passed');
    expect(capacityCheck(500, { perSecond: 160, source: 'given' }).status).toBe('failed');
    expect(capacityCheck(50, undefined)).toMatchObject({ status: 'failed', detail: expect.stringContaining('--checkout-capacity') });
  });

  it('when a million wait, then the expected poll rate stays within the budget', () => {
    expect(pollRateCheck(1_000_000, 2_000)).toMatchObject({ status: 'passed', detail: expect.stringContaining('1,000,000 waiting') });
  });

  it('when one check fails, then the verdict is NOT READY; a warning alone keeps it ready', () => {
    const ok = saleStatusCheck(sale(), new Date('2029-12-31T09:00:00Z'));
    expect(ok.status).toBe('passed');
    expect(verdict([ok, rateLimitCheck(undefined)])).toMatchObject({ ready: true, text: 'READY, with 1 warning' });
    expect(verdict([ok, saleStatusCheck(sale({ status: 'ended' }), new Date())]).ready).toBe(false);
    expect(saleStatusCheck(sale({ status: 'live', paused: true }), new Date()).status).toBe('failed');
  });
});
