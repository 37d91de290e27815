import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  capacityCheck,
  countersCheck,
  pageCheck,
  pollRateCheck,
  rateLimitCheck,
  saleStatusCheck,
  verdict,
  type AdminSaleDetail,
  type PageProbe,
  type PreflightCheck,
} from './preflight-checks.js';

export interface PreflightOptions {
  saleId: string;
  /** the shop's base URL */
  target: string;
  admin: { email: string; password: string };
  /** checkout acknowledgements per second; read from the latest bench:checkout result when absent */
  checkoutCapacity?: number;
  /** where bench:checkout wrote its results */
  benchResultsDir?: string;
  /** how many customers are expected to wait (default 100 × the sale's quantity) */
  expectedCustomers?: number;
  /** FLASH_SALE_POLL_BUDGET_PER_SECOND the shop runs with */
  pollBudgetPerSecond: number;
  /** page probe: requests per page and the p95 they must stay under */
  pageRequests?: number;
  pageBudgetMs?: number;
  now?: () => Date;
}

export interface PreflightResult {
  checks: PreflightCheck[];
  ready: boolean;
  verdict: string;
}

async function call(target: string, path: string, init: RequestInit = {}) {
  const response = await fetch(new URL(path, target), init);
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

async function probePage(target: string, path: string, requests: number): Promise<PageProbe> {
  const probe: PageProbe = { path, statuses: [], timings: [], cacheControl: undefined };
  // one unmeasured request first: a file read once or a cold cache is not what the sale's visitors meet
  await (await fetch(new URL(path, target))).arrayBuffer();
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    const res = await fetch(new URL(path, target));
    await res.arrayBuffer();
    probe.timings.push(performance.now() - started);
    probe.statuses.push(res.status);
    probe.cacheControl = res.headers.get('cache-control') ?? undefined;
  }
  return probe;
}

/** the checkout acknowledgement rate bench:checkout measured last on this machine */
export async function measuredCheckoutCapacity(dir: string): Promise<{ perSecond: number; source: string } | undefined> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => /^checkout-.*\.json$/.test(f)).sort();
  const latest = files.at(-1);
  if (!latest) return undefined;
  const result = JSON.parse(await readFile(join(dir, latest), 'utf8')) as { rows?: Array<{ endpoint: string; rps: number }> };
  const row = result.rows?.find((r) => r.endpoint.startsWith('POST /v1/checkout'));
  return row ? { perSecond: Math.round(row.rps), source: `bench:checkout, ${latest}` } : undefined;
}

/** Reads the sale as the admin, probes its public pages, and answers every check with one verdict. */
export async function runPreflight(options: PreflightOptions): Promise<PreflightResult> {
  const { target, saleId } = options;
  const login = await call(target, '/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(options.admin) });
  const token = (login.body as { accessToken?: unknown } | undefined)?.accessToken;
  if (login.status !== 200 || typeof token !== 'string') throw new Error(`admin login as ${options.admin.email} answered ${login.status}`);

  const detail = await call(target, `/v1/admin/flash-sales/${encodeURIComponent(saleId)}`, { headers: { authorization: `Bearer ${token}` } });
  if (detail.status === 404) throw new Error(`there is no flash sale ${saleId}`);
  if (detail.status !== 200) throw new Error(`GET /v1/admin/flash-sales/${saleId} answered ${detail.status}`);
  const sale = detail.body as AdminSaleDetail;

  const pageRequests = options.pageRequests ?? 20;
  const pageBudgetMs = options.pageBudgetMs ?? 50;
  const publicSale = await probePage(target, `/v1/flash-sales/${encodeURIComponent(saleId)}`, pageRequests);
  const salePage = await probePage(target, `/sale/${encodeURIComponent(saleId)}`, pageRequests);
  const limits = await call(target, `/v1/flash-sales/${encodeURIComponent(saleId)}`);
  // the catalog's own page of the product on sale: shoppers open it from the waiting room and before
  const productId = (limits.body as { product?: { id?: unknown } | null } | undefined)?.product?.id;
  const productPage = typeof productId === 'string' ? await probePage(target, `/v1/products/${encodeURIComponent(productId)}`, pageRequests) : undefined;

  const capacity = options.checkoutCapacity
    ? { perSecond: options.checkoutCapacity, source: 'given' }
    : await measuredCheckoutCapacity(options.benchResultsDir ?? join('bench', 'results'));
  const checks = [
    saleStatusCheck(sale, (options.now ?? (() => new Date()))()),
    countersCheck(sale),
    pageCheck(salePage, pageBudgetMs),
    pageCheck(publicSale, pageBudgetMs),
    ...(productPage ? [pageCheck(productPage, pageBudgetMs)] : []),
    capacityCheck(sale.admissionRatePerSecond, capacity),
    pollRateCheck(options.expectedCustomers ?? Math.max(1_000, sale.quantity * 100), options.pollBudgetPerSecond),
    rateLimitCheck(limits.headers.get('ratelimit-policy') ?? undefined),
  ];
  const { ready, text } = verdict(checks);
  return { checks, ready, verdict: text };
}

export function formatPreflight(saleId: string, result: PreflightResult): string {
  const mark = { passed: 'ok  ', failed: 'FAIL', warning: 'warn' } as const;
  const lines = [`preflight for flash sale ${saleId}`, ...result.checks.map((c) => `  [${mark[c.status]}] ${c.name}: ${c.detail}`), '', result.verdict];
  return lines.join('\n');
}
