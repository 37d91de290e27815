import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { MetricValue } from 'prom-client';
import type { Metrics } from './metrics.js';

/** One route group's numbers over the last interval (a group is the first two path segments: /v1/products). */
export interface RouteGroupStats {
  group: string;
  rps: number;
  /** null when the group saw no request in the interval */
  p99Ms: number | null;
  /** share of 5xx answers, 0…1 */
  errorRate: number;
  requests: number;
}

export interface OpsSummary {
  service: string;
  pid: number;
  uptimeSeconds: number;
  /** epoch ms of this sample */
  at: number;
  /** seconds since the previous sample: the window every rate below is measured over (0 on the first) */
  intervalSeconds: number;
  total: RouteGroupStats;
  routes: RouteGroupStats[];
  /** order events per second by the status they move the order to (`placed`, `paid`, `payment_failed` …) */
  ordersPerSecond: Record<string, number>;
  /** unpublished outbox events per service schema */
  outboxBacklog: Record<string, number>;
  eventLoopLagMs: { p99: number; max: number };
  rssBytes: number;
  /**
   * flash-sale answers per second in the interval (joins, polls still waiting, polls admitted, units reserved,
   * sold-out answers); null when no flash-sale request was ever answered by this process
   */
  flashSale: FlashSaleRates | null;
  /** breakers, retry budgets and degradation switches of this process (empty lists when it has none) */
  resilience: ResilienceView;
}

export interface ResilienceView {
  /** floodgate_breaker_state: `closed`, `half_open` or `open` per breaker */
  breakers: Array<{ breaker: string; state: string }>;
  /** floodgate_retries_total since the process started */
  retries: Array<{ dependency: string; attempted: number; refused: number }>;
  /** floodgate_degradation_active */
  switches: Array<{ name: string; degraded: boolean }>;
}

const BREAKER_STATES = ['closed', 'half_open', 'open'];

async function resilienceOf(metrics: Metrics): Promise<ResilienceView> {
  const [breakers, retries, switches] = await Promise.all([
    valuesOf(metrics, 'floodgate_breaker_state'),
    valuesOf(metrics, 'floodgate_retries_total'),
    valuesOf(metrics, 'floodgate_degradation_active'),
  ]);
  const byDependency = new Map<string, { dependency: string; attempted: number; refused: number }>();
  for (const v of retries) {
    const dependency = String(v.labels.dependency ?? 'unknown');
    const row = byDependency.get(dependency) ?? { dependency, attempted: 0, refused: 0 };
    if (v.labels.result === 'refused') row.refused += v.value;
    else row.attempted += v.value;
    byDependency.set(dependency, row);
  }
  return {
    breakers: breakers.map((v) => ({ breaker: String(v.labels.breaker ?? 'unknown'), state: BREAKER_STATES[v.value] ?? 'unknown' })),
    retries: [...byDependency.values()],
    switches: switches.map((v) => ({ name: String(v.labels.switch ?? 'unknown'), degraded: v.value === 1 })),
  };
}

export interface FlashSaleRates { joined: number; waiting: number; admitted: number; reserved: number; soldOut: number; polls: number }

interface GroupCounts { count: number; errors: number; buckets: Map<number, number> }
interface Snapshot { at: number; groups: Map<string, GroupCounts>; orders: Map<string, number>; flash: Map<string, number> | null }

/** floodgate_flash_sale_requests_total{step, outcome} → the panel's series */
function flashKeyOf(step: string, outcome: string): keyof FlashSaleRates | undefined {
  if (step === 'join') return outcome === 'sold_out' ? 'soldOut' : 'joined';
  if (step === 'poll') return outcome === 'waiting' ? 'waiting' : outcome === 'admitted' ? 'admitted' : outcome === 'sold_out' ? 'soldOut' : undefined;
  if (step === 'reserve') return outcome === 'reserved' ? 'reserved' : outcome === 'sold_out' ? 'soldOut' : undefined;
  return undefined;
}

// the page watching itself would otherwise be the busiest route of an idle process
const isOpsPage = (group: string) => group === '/ops' || group.startsWith('/ops/');
const ORDER_EVENT = /^order\.(.+)$/;

export function routeGroupOf(route: string): string {
  if (!route.startsWith('/')) return route;
  return `/${route.split('/').filter(Boolean).slice(0, 2).join('/')}`;
}

/** Prometheus' histogram_quantile over cumulative buckets: linear inside the bucket, +Inf clamps to the last bound. */
export function quantileFromBuckets(q: number, buckets: ReadonlyArray<{ le: number; count: number }>): number | null {
  const total = buckets[buckets.length - 1]?.count ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const { le, count } of buckets) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return lower;
      return count === below ? le : lower + (le - lower) * ((rank - below) / (count - below));
    }
    lower = Number.isFinite(le) ? le : lower;
    below = count;
  }
  return lower;
}

async function valuesOf(metrics: Metrics, name: string): Promise<MetricValue<string>[]> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) return [];
  try {
    return (await metric.get()).values;
  } catch {
    return [];
  }
}

async function takeSnapshot(metrics: Metrics, at: number): Promise<Snapshot> {
  const groups = new Map<string, GroupCounts>();
  for (const v of (await metrics.httpDuration.get()).values) {
    const group = routeGroupOf(String(v.labels.route ?? 'unmatched'));
    if (isOpsPage(group)) continue;
    let counts = groups.get(group);
    if (!counts) groups.set(group, (counts = { count: 0, errors: 0, buckets: new Map() }));
    if (v.metricName?.endsWith('_bucket')) {
      const bound = (v.labels as { le?: string | number }).le;
      const le = bound === '+Inf' ? Infinity : Number(bound);
      counts.buckets.set(le, (counts.buckets.get(le) ?? 0) + v.value);
    } else if (v.metricName?.endsWith('_count')) {
      counts.count += v.value;
      if (Number(v.labels.status) >= 500) counts.errors += v.value;
    }
  }
  const orders = new Map<string, number>();
  for (const v of await valuesOf(metrics, 'floodgate_bus_published_total')) {
    const status = ORDER_EVENT.exec(String(v.labels.type ?? ''))?.[1];
    if (status) orders.set(status, (orders.get(status) ?? 0) + v.value);
  }
  const flashValues = await valuesOf(metrics, 'floodgate_flash_sale_requests_total');
  let flash: Map<string, number> | null = null;
  for (const v of flashValues) {
    flash ??= new Map();
    const step = String(v.labels.step ?? '');
    if (step === 'poll') flash.set('polls', (flash.get('polls') ?? 0) + v.value);
    const key = flashKeyOf(step, String(v.labels.outcome ?? ''));
    if (key) flash.set(key, (flash.get(key) ?? 0) + v.value);
  }
  return { at, groups, orders, flash };
}

function flashRates(now: Snapshot, before: Snapshot, seconds: number): FlashSaleRates | null {
  if (!now.flash) return null;
  const rate = (key: keyof FlashSaleRates) => (seconds > 0 ? ((now.flash?.get(key) ?? 0) - (before.flash?.get(key) ?? 0)) / seconds : 0);
  return { joined: rate('joined'), waiting: rate('waiting'), admitted: rate('admitted'), reserved: rate('reserved'), soldOut: rate('soldOut'), polls: rate('polls') };
}

function statsBetween(group: string, now: GroupCounts, before: GroupCounts | undefined, seconds: number): RouteGroupStats {
  const requests = now.count - (before?.count ?? 0);
  const errors = now.errors - (before?.errors ?? 0);
  const buckets = [...now.buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([le, count]) => ({ le, count: count - (before?.buckets.get(le) ?? 0) }));
  const p99 = requests > 0 ? quantileFromBuckets(0.99, buckets) : null;
  return {
    group,
    rps: seconds > 0 ? requests / seconds : 0,
    p99Ms: p99 === null ? null : p99 * 1000,
    errorRate: requests > 0 ? errors / requests : 0,
    requests,
  };
}

function mergeCounts(all: Iterable<GroupCounts>): GroupCounts {
  const merged: GroupCounts = { count: 0, errors: 0, buckets: new Map() };
  for (const c of all) {
    merged.count += c.count;
    merged.errors += c.errors;
    for (const [le, n] of c.buckets) merged.buckets.set(le, (merged.buckets.get(le) ?? 0) + n);
  }
  return merged;
}

export interface OpsSummarySource {
  /** the current summary; viewers polling within `minIntervalMs` of each other share one sample */
  sample(): Promise<OpsSummary>;
  stop(): void;
}

/**
 * Live numbers for /ops, computed from the process's own registry as differences between two
 * samples. Event-loop lag has its own monitor: reading prom-client's resets its histogram and
 * would shorten the window Prometheus sees.
 */
/** `now` is injectable so tests move time instead of sleeping */
export function createOpsSummary(metrics: Metrics, { minIntervalMs = 500, now = Date.now }: { minIntervalMs?: number; now?: () => number } = {}): OpsSummarySource {
  let previous: Snapshot | undefined;
  let last: OpsSummary | undefined;
  let pending: Promise<OpsSummary> | undefined;
  let lag: IntervalHistogram | undefined;

  const compute = async (): Promise<OpsSummary> => {
    if (!lag) {
      lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
    }
    const at = now();
    const [snapshot, backlogValues, rssValues, resilience] = await Promise.all([
      takeSnapshot(metrics, at),
      valuesOf(metrics, 'floodgate_outbox_backlog'),
      valuesOf(metrics, 'floodgate_process_process_resident_memory_bytes'),
      resilienceOf(metrics),
    ]);
    const before = previous ?? snapshot;
    const seconds = (snapshot.at - before.at) / 1000;
    const routes = [...snapshot.groups.entries()]
      .map(([group, counts]) => statsBetween(group, counts, before.groups.get(group), seconds))
      .sort((a, b) => b.rps - a.rps || a.group.localeCompare(b.group));
    const total = statsBetween('all', mergeCounts(snapshot.groups.values()), mergeCounts(before.groups.values()), seconds);
    const ordersPerSecond: Record<string, number> = {};
    for (const [status, count] of snapshot.orders) {
      ordersPerSecond[status] = seconds > 0 ? (count - (before.orders.get(status) ?? 0)) / seconds : 0;
    }
    const outboxBacklog: Record<string, number> = {};
    for (const v of backlogValues) outboxBacklog[String(v.labels.schema ?? 'unknown')] = v.value;
    const eventLoopLagMs = { p99: lag.count > 0 ? lag.percentile(99) / 1e6 : 0, max: lag.count > 0 ? lag.max / 1e6 : 0 };
    lag.reset();
    previous = snapshot;
    return {
      service: metrics.service,
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime()),
      at,
      intervalSeconds: seconds,
      total,
      routes,
      ordersPerSecond,
      outboxBacklog,
      eventLoopLagMs,
      rssBytes: rssValues[0]?.value ?? process.memoryUsage.rss(),
      flashSale: flashRates(snapshot, before, seconds),
      resilience,
    };
  };

  return {
    sample() {
      if (last && now() - last.at < minIntervalMs) return Promise.resolve(last);
      pending ??= compute()
        .then((summary) => (last = summary))
        .finally(() => (pending = undefined));
      return pending;
    },
    stop() {
      lag?.disable();
    },
  };
}
