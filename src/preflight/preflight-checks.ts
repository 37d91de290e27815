import { planPollIntervals, planRateBound } from '../services/flash-sales/poll-interval.js';

/** one line of the verdict; only `failed` makes the sale not ready */
export interface PreflightCheck {
  name: string;
  status: 'passed' | 'failed' | 'warning';
  detail: string;
}

/** what GET /v1/admin/flash-sales/{id} answers, as far as preflight reads it */
export interface AdminSaleDetail {
  id: string;
  status: string;
  paused: boolean;
  quantity: number;
  admissionRatePerSecond: number;
  startsAt: string;
  counters: { available: number; held: number; sold: number; queueLength: number; frontier: number } | null;
  reservations: { held: number; ordered: number; sold: number };
}

export function saleStatusCheck(sale: AdminSaleDetail, now: Date): PreflightCheck {
  const name = 'sale is scheduled or live';
  if (sale.status === 'scheduled') {
    const minutes = Math.round((Date.parse(sale.startsAt) - now.getTime()) / 60_000);
    return { name, status: 'passed', detail: `scheduled; opens ${sale.startsAt} (${minutes >= 0 ? `in ${minutes} min` : `${-minutes} min late`})` };
  }
  if (sale.status === 'live') return sale.paused ? { name, status: 'failed', detail: 'live but paused: resume it' } : { name, status: 'passed', detail: 'live' };
  return { name, status: 'failed', detail: `${sale.status}: there is nothing left to prepare` };
}

/**
 * The counters are the spike path's gate: they must be loaded before the doors open, and say what
 * PostgreSQL says (available = quantity − live − sold units; held = live reservation units).
 */
export function countersCheck(sale: AdminSaleDetail): PreflightCheck {
  const name = 'counters loaded and equal to the database';
  const c = sale.counters;
  if (!c) return { name, status: 'failed', detail: 'not loaded: the counter store has no scope for this sale (it is loaded when the sale goes live or the reconciler runs)' };
  const soldInDb = sale.reservations.ordered + sale.reservations.sold;
  const expected = { available: sale.quantity - sale.reservations.held - soldInDb, held: sale.reservations.held, sold: soldInDb };
  const diffs = (['available', 'held', 'sold'] as const).filter((k) => c[k] !== expected[k]).map((k) => `${k} ${c[k]} (database ${expected[k]})`);
  return diffs.length === 0
    ? { name, status: 'passed', detail: `available ${c.available}, held ${c.held}, sold ${c.sold}: as PostgreSQL says; ${c.queueLength} in line` }
    : { name, status: 'failed', detail: `counters differ from PostgreSQL: ${diffs.join(', ')}; run the reconciler before opening` };
}

export interface PageProbe {
  path: string;
  statuses: number[];
  /** milliseconds per request */
  timings: number[];
  cacheControl: string | undefined;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
};

/** the first second of a sale is page loads: each must be cacheable by a CDN and cheap when it is not */
export function pageCheck(probe: PageProbe, budgetMs: number): PreflightCheck {
  const name = `${probe.path} cached and fast`;
  const bad = probe.statuses.filter((s) => s !== 200);
  const p95 = Math.round(percentile(probe.timings, 0.95) * 10) / 10;
  const maxAge = Number(/max-age=(\d+)/.exec(probe.cacheControl ?? '')?.[1] ?? 0);
  const cacheable = /public/.test(probe.cacheControl ?? '') && maxAge > 0;
  const problems: string[] = [];
  if (bad.length > 0) problems.push(`${bad.length} of ${probe.statuses.length} answers were not 200 (${[...new Set(bad)].join(', ')})`);
  if (!cacheable) problems.push(`Cache-Control "${probe.cacheControl ?? 'none'}" does not let a CDN keep it`);
  if (p95 > budgetMs) problems.push(`p95 ${p95} ms over ${budgetMs} ms`);
  const figures = `${probe.statuses.length} requests, p95 ${p95} ms, Cache-Control "${probe.cacheControl ?? 'none'}"`;
  return problems.length === 0 ? { name, status: 'passed', detail: figures } : { name, status: 'failed', detail: `${problems.join('; ')} (${figures})` };
}

/** admitted customers go on to check out: admitting faster than checkout answers only builds a queue at checkout */
export function capacityCheck(admissionRatePerSecond: number, capacity: { perSecond: number; source: string } | undefined): PreflightCheck {
  const name = 'admission rate within checkout capacity';
  if (!capacity) {
    return { name, status: 'failed', detail: 'no checkout capacity known: pass --checkout-capacity <orders/s>, or run `npm run bench:checkout` (its result in bench/results/ is read)' };
  }
  const share = admissionRatePerSecond / capacity.perSecond;
  const figures = `admitting ${admissionRatePerSecond}/s against checkout capacity ${capacity.perSecond}/s (${capacity.source}): ${Math.round(share * 100)} %`;
  return share <= 1 ? { name, status: 'passed', detail: figures } : { name, status: 'failed', detail: `${figures}; lower the admission rate or add checkout capacity` };
}

/** informative: what the waiting room will cost when `waiting` people wait, at the configured budget */
export function pollRateCheck(waiting: number, budgetPerSecond: number): PreflightCheck {
  const name = 'expected poll rate within the budget';
  const plan = planPollIntervals({ waiting, budgetPerSecond });
  const rate = Math.round(planRateBound(plan, waiting));
  const detail =
    `${waiting.toLocaleString('en')} waiting → at most ${rate.toLocaleString('en')} polls/s (budget ${budgetPerSecond.toLocaleString('en')}/s): ` +
    `the first ${plan.frontSize} poll every ${plan.minMs / 1000} s, the back every ${Math.round(plan.capMs / 1000)} s`;
  return rate <= budgetPerSecond ? { name, status: 'passed', detail } : { name, status: 'failed', detail };
}

/** a per-client limit in front of the waiting room keeps one script from taking a thousand places */
export function rateLimitCheck(rateLimitPolicy: string | undefined): PreflightCheck {
  const name = 'rate limits set';
  return rateLimitPolicy
    ? { name, status: 'passed', detail: `RateLimit-Policy: ${rateLimitPolicy}` }
    : { name, status: 'warning', detail: 'the shop sends no RateLimit-Policy header: make sure nginx or the ingress limits requests per client' };
}

export function verdict(checks: readonly PreflightCheck[]): { ready: boolean; text: string } {
  const failed = checks.filter((c) => c.status === 'failed');
  const warned = checks.filter((c) => c.status === 'warning');
  if (failed.length > 0) return { ready: false, text: `NOT READY: ${failed.length} check${failed.length === 1 ? '' : 's'} failed (${failed.map((c) => c.name).join('; ')})` };
  return { ready: true, text: warned.length > 0 ? `READY, with ${warned.length} warning${warned.length === 1 ? '' : 's'}` : 'READY' };
}
