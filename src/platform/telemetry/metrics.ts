import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from 'prom-client';

/** Latency buckets for anything a person waits on: 1 ms … 5 s, dense around the 10–250 ms SLO range. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

type MetricClass = typeof Counter | typeof Gauge | typeof Histogram;

/**
 * Several parts of one process may ask for the same family (two databases, three caches, two
 * buses), so creating a family is idempotent per registry. Asking again with a different type or
 * different label names is a programming error and throws at startup, not at scrape time.
 */
function getOrCreate<M>(registry: Registry, kind: MetricClass, name: string, labelNames: readonly string[], create: () => M): M {
  const existing = registry.getSingleMetric(name) as (M & { labelNames?: readonly string[] }) | undefined;
  if (!existing) return create();
  const sameLabels = [...(existing.labelNames ?? [])].sort().join(',') === [...labelNames].sort().join(',');
  if (!(existing instanceof kind) || !sameLabels) {
    throw new Error(`metric ${name} is already registered with another type or labels (${(existing.labelNames ?? []).join(',')})`);
  }
  return existing;
}

/**
 * Naming scheme (see docs/metrics.md): `floodgate_<area>_<thing>_<unit>`, counters end in `_total`,
 * durations are histograms in seconds. Each process owns one registry, passed to whoever records.
 */
export function createMetrics(service: string, { processMetrics = true }: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  // a background thread's registry leaves them out: they describe the whole process, which its host reports
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: 'floodgate_process_', eventLoopMonitoringPrecision: 20 });

  // other registries this process reports as its own (a background thread's, background-thread.ts), added at each read
  const sources: Array<() => Promise<MetricObjectWithValues<MetricValue<string>>[]>> = [];
  /** the exposition /metrics serves: this registry's, with its sources' series summed in (same names, same labels) */
  async function exposition(): Promise<string> {
    if (sources.length === 0) return registry.metrics();
    const all = await Promise.all([registry.getMetricsAsJSON(), ...sources.map((source) => source())]);
    return AggregatorRegistry.aggregate(all).metrics();
  }

  // a histogram's observations (see `observation`), added to it whenever it is read, like a counter's tallies
  const pendingObservations = new Map<Histogram<string>, PendingObservations[]>();
  function addObservations(this: Histogram<string>) {
    for (const pending of pendingObservations.get(this) ?? []) mergeObservations(this, pending);
  }

  const httpDuration = new Histogram({
    name: 'floodgate_http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
    collect: addObservations,
  });

  // a counter's tallies (see `tally`), added to it whenever it is read: a scrape, /ops, a test's get()
  const tallies = new Map<Counter<string>, Array<{ labels: Partial<Record<string, string>>; pending: number }>>();
  function addTallies(this: Counter<string>) {
    for (const t of tallies.get(this) ?? []) {
      if (t.pending === 0) continue;
      this.inc(t.labels, t.pending);
      t.pending = 0;
    }
  }

  /**
   * An increment of one label set of `counter` for a hot path: a plain number that joins the counter when it is
   * read. prom-client validates and hashes the label set on every inc, bound child or not (~0.5 µs each, two of
   * them were 4 % of a fast-lane poll, BENCHMARKS.md 2026-12-01 03:20); the counter's value is the same at every
   * read. Make one per label set, once, and keep it (several tallies of one label set add up).
   */
  function tally<L extends string>(counter: Counter<L>, labels: Partial<Record<L, string>>): () => void {
    const t = enlist(tallies, counter as unknown as Counter<string>, addTallies, 'tally', { labels, pending: 0 });
    return () => {
      t.pending++;
    };
  }

  /**
   * Tallies of `counter` keyed by one value (an event, an outcome), each made the first time its value is counted:
   * `const count = tallyPer(counter, (event) => ({ event })); count('login_failed')`. For values from a closed set
   * only (each is a series, and a tally kept for the process's life).
   */
  function tallyPer<V, L extends string>(counter: Counter<L>, labelsOf: (value: V) => Partial<Record<L, string>>): (value: V) => void {
    const made = new Map<V, () => void>();
    return (value) => {
      let inc = made.get(value);
      if (!inc) made.set(value, (inc = tally(counter, labelsOf(value))));
      inc();
    };
  }

  /**
   * Observations of one label set of `histogram` for a hot path, the histogram's form of a tally: a bucket count,
   * a sum and a count kept here, added to the histogram when it is read. prom-client's observe converts, validates
   * and hashes the label set on every call, bound child or not (1.8 % of a fast-lane poll). The exposition is the
   * same at every read. Make one per label set, once, and keep it.
   */
  function observation<L extends string>(histogram: Histogram<L>, labels: Partial<Record<L, string>>): (value: number) => void {
    const bounds = (histogram as unknown as HistogramInternals).upperBounds;
    const pending = enlist(pendingObservations, histogram as unknown as Histogram<string>, addObservations, 'observation', {
      labels,
      sum: 0,
      count: 0,
      buckets: new Array<number>(bounds.length).fill(0),
    } as PendingObservations);
    return (value) => {
      pending.sum += value;
      pending.count++;
      // as prom-client files it: the first bucket that holds the value; above the last, only in the count (+Inf)
      for (let i = 0; i < bounds.length; i++) {
        if (value <= bounds[i]!) {
          pending.buckets[i]!++;
          return;
        }
      }
    };
  }

  // one observation per route template, method and status, found without building a key per answer: route and
  // method strings are the same objects each time, so their hashes are cached
  const httpObservations = new Map<string, Map<string, Map<number, (seconds: number) => void>>>();
  /** one HTTP answer's duration, in floodgate_http_request_duration_seconds (through an observation per label set) */
  function observeHttp(route: string, method: string, status: number, seconds: number) {
    let byMethod = httpObservations.get(route);
    if (!byMethod) httpObservations.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let observe = byStatus.get(status);
    if (!observe) byStatus.set(status, (observe = observation(httpDuration, { route, method, status: String(status) })));
    observe(seconds);
  }

  return {
    service,
    registry,
    exposition,
    addSource: (source: () => Promise<MetricObjectWithValues<MetricValue<string>>[]>) => void sources.push(source),
    httpDuration,
    observeHttp,
    counter: <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
      getOrCreate(registry, Counter, name, labelNames, () => new Counter<L>({ name, help, labelNames, registers: [registry], collect: addTallies })),
    tally,
    tallyPer,
    observation,
    gauge: <L extends string>(name: string, help: string, labelNames: readonly L[] = [], collect?: (this: Gauge<L>) => void | Promise<void>) =>
      getOrCreate(registry, Gauge, name, labelNames, () => new Gauge<L>({ name, help, labelNames, registers: [registry], ...(collect ? { collect } : {}) })),
    histogram: <L extends string>(name: string, help: string, labelNames: readonly L[] = [], buckets?: number[]) =>
      getOrCreate(registry, Histogram, name, labelNames, () => new Histogram<L>({ name, help, labelNames, registers: [registry], collect: addObservations, ...(buckets ? { buckets } : {}) })),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Keeps `item` among `metric`'s pending values, which `collect` (the metric's own collect function) adds to it when
 * it is read. A metric from another registry (or made without that collect) would never report them: refused.
 */
function enlist<M extends object, P>(lists: Map<M, P[]>, metric: M, collect: unknown, what: string, item: P): P {
  if ((metric as { collect?: unknown }).collect !== collect) throw new Error(`${what}: the metric must come from this registry's ${what === 'tally' ? 'counter' : 'histogram'}()`);
  const list = lists.get(metric);
  if (list) list.push(item);
  else lists.set(metric, [item]);
  return item;
}

interface PendingObservations {
  labels: Partial<Record<string, string>>;
  sum: number;
  count: number;
  /** per upper bound, in order: the observations that bound was the first to hold */
  buckets: number[];
  /** its label set's key in the histogram's state, once found */
  key?: string;
}

/** prom-client 15's histogram state (pinned in package.json; metrics.test.ts holds the exposition to observe's) */
interface HistogramInternals {
  upperBounds: number[];
  hashMap: Record<string, { labels: Record<string, string | number>; sum: number; count: number; bucketValues: Record<number, number> }>;
}

/** adds what an observation holds to its label set's values in the histogram, and empties it */
function mergeObservations(histogram: Histogram<string>, pending: PendingObservations) {
  if (pending.count === 0) return;
  const { hashMap, upperBounds } = histogram as unknown as HistogramInternals;
  // found by its labels once, then by its key: a read costs the same however many label sets the histogram has
  let entry = pending.key === undefined ? undefined : hashMap[pending.key];
  if (!entry || !sameLabels(entry.labels, pending.labels)) {
    pending.key = keyOf(hashMap, pending.labels);
    if (pending.key === undefined) {
      // zero() replaces a label set's values: only for one that has none yet
      histogram.zero(pending.labels);
      pending.key = keyOf(hashMap, pending.labels)!;
    }
    entry = hashMap[pending.key]!;
  }
  entry.sum += pending.sum;
  entry.count += pending.count;
  upperBounds.forEach((bound, i) => {
    entry.bucketValues[bound] = (entry.bucketValues[bound] ?? 0) + pending.buckets[i]!;
    pending.buckets[i] = 0;
  });
  pending.sum = 0;
  pending.count = 0;
}

const sameLabels = (stored: Record<string, string | number>, wanted: Partial<Record<string, string>>) =>
  Object.keys(stored).length === Object.keys(wanted).length && Object.entries(wanted).every(([name, value]) => String(stored[name]) === value);
const keyOf = (hashMap: HistogramInternals['hashMap'], labels: Partial<Record<string, string>>) =>
  Object.keys(hashMap).find((key) => sameLabels(hashMap[key]!.labels, labels));
