import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Naming scheme (see docs/metrics.md): `floodgate_<area>_<thing>_<unit>`, counters end in `_total`,
 * durations are histograms in seconds. Each process owns one registry, passed to whoever records.
 */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'floodgate_process_', eventLoopMonitoringPrecision: 20 });

  const httpDuration = new Histogram({
    name: 'floodgate_http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status class',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  return {
    registry,
    httpDuration,
    counter: <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
      new Counter<L>({ name, help, labelNames, registers: [registry] }),
    gauge: <L extends string>(name: string, help: string, labelNames: readonly L[] = [], collect?: (this: Gauge<L>) => void | Promise<void>) =>
      new Gauge<L>({ name, help, labelNames, registers: [registry], ...(collect ? { collect } : {}) }),
    histogram: <L extends string>(name: string, help: string, labelNames: readonly L[] = [], buckets?: number[]) =>
      new Histogram<L>({ name, help, labelNames, registers: [registry], ...(buckets ? { buckets } : {}) }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
