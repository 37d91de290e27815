import type { Gauge, Registry } from 'prom-client';
import type { Metrics } from './metrics.js';

export interface CollectGaugeOptions {
  /** labels of this source's series; several sources may share one family with different labels */
  labels?: Record<string, string>;
  /** a source slower than this is skipped for this scrape, so one slow dependency cannot stall /metrics */
  timeoutMs?: number;
}

interface Source {
  labels: Record<string, string>;
  collect: () => number | Promise<number>;
  timeoutMs: number;
}

interface Family {
  gauge: Gauge<string>;
  sources: Source[];
  labelNames: string[];
}

// per registry, so two apps in one test process (or two processes' worth of modules) never mix
const families = new WeakMap<Registry, Map<string, Family>>();

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (err: unknown) => { clearTimeout(timer); reject(err); },
    );
  });

/**
 * A gauge whose value is read when scraped (`floodgate_outbox_backlog`, `floodgate_inventory_reservations_held`,
 * pool gauges): nothing has to remember to update it. A source that fails or times out drops its series
 * for that scrape (so `absent()` alerts can see it) and counts in `floodgate_metrics_collect_errors_total`;
 * it never fails the whole scrape.
 */
export function registerCollectGauge(
  metrics: Metrics,
  name: string,
  help: string,
  collect: () => number | Promise<number>,
  options: CollectGaugeOptions = {},
): void {
  const labels = options.labels ?? {};
  const labelNames = Object.keys(labels).sort();
  let byName = families.get(metrics.registry);
  if (!byName) families.set(metrics.registry, (byName = new Map()));
  let family = byName.get(name);
  if (!family) {
    if (metrics.registry.getSingleMetric(name)) throw new Error(`metric ${name} already exists as a plain metric; register all its sources with registerCollectGauge`);
    const sources: Source[] = [];
    const gauge = metrics.gauge(name, help, labelNames, async function collectAll() {
      await Promise.all(
        sources.map(async (source) => {
          try {
            const value = await withTimeout(Promise.resolve().then(source.collect), source.timeoutMs);
            this.set(source.labels, value);
          } catch {
            this.remove(source.labels);
            errors.inc({ metric: name });
          }
        }),
      );
    });
    // prom-client reads every family of a scrape concurrently: errors show from the next scrape on
    const errors = metrics.counter('floodgate_metrics_collect_errors_total', 'Scrape-time gauge sources that failed or timed out', ['metric']);
    family = { gauge, sources, labelNames };
    byName.set(name, family);
  } else if (family.labelNames.join(',') !== labelNames.join(',')) {
    throw new Error(`metric ${name} has labels (${family.labelNames.join(',')}); got (${labelNames.join(',')})`);
  }
  const key = JSON.stringify(labelNames.map((l) => [l, labels[l]]));
  const existing = family.sources.findIndex((s) => JSON.stringify(Object.keys(s.labels).sort().map((l) => [l, s.labels[l]])) === key);
  const source = { labels, collect, timeoutMs: options.timeoutMs ?? 2_000 };
  // registering the same series again replaces its source (a restarted relay, a re-created store)
  if (existing >= 0) family.sources[existing] = source;
  else family.sources.push(source);
}
