import type { Worker } from '../service.js';
import { registerCollectGauge } from '../telemetry/collect-gauge.js';
import type { Metrics } from '../telemetry/metrics.js';

/**
 * `floodgate_outbox_backlog{schema}`: unpublished events per service outbox, counted at scrape time
 * from each relay's `backlog()`. A backlog that keeps growing means the relay or the broker is stuck
 * while orders are still being acknowledged — the `FloodgateOutboxBacklogGrowing` alert watches it.
 *
 *   registerOutboxBacklogGauge(metrics, { orders: ordersRelay.backlog, payments: paymentsRelay.backlog })
 *   registerOutboxBacklogGauge(metrics, outboxBacklogsOf(modules.flatMap((m) => m.workers ?? [])))
 */
export function registerOutboxBacklogGauge(metrics: Metrics, backlogs: Record<string, () => Promise<number>>): void {
  for (const [schema, backlog] of Object.entries(backlogs)) {
    registerCollectGauge(metrics, 'floodgate_outbox_backlog', 'Outbox events not yet published, per service schema', backlog, { labels: { schema } });
  }
}

const RELAY_NAME = /^(.+)-outbox-relay$/;

/** The backlog of every outbox relay among a process's workers (createOutboxRelay names them `<schema>-outbox-relay`). */
export function outboxBacklogsOf(workers: readonly Worker[]): Record<string, () => Promise<number>> {
  const backlogs: Record<string, () => Promise<number>> = {};
  for (const worker of workers) {
    const schema = RELAY_NAME.exec(worker.name)?.[1];
    const backlog = (worker as Partial<{ backlog: () => Promise<number> }>).backlog;
    if (schema && typeof backlog === 'function') backlogs[schema] = backlog;
  }
  return backlogs;
}

/**
 * `floodgate_outbox_parked{schema}`: events the relay gave up on (poison events, failed
 * `maxAttempts` times for a non-transient reason). Anything above 0 needs a person: see why with
 * `floodgate outbox parked <schema>`, fix the cause, then `floodgate outbox requeue <schema>`.
 */
export function registerOutboxParkedGauge(metrics: Metrics, parked: Record<string, () => Promise<number>>): void {
  for (const [schema, count] of Object.entries(parked)) {
    registerCollectGauge(metrics, 'floodgate_outbox_parked', 'Outbox events parked after repeated failures, per service schema', count, { labels: { schema } });
  }
}

/** The parked count of every outbox relay among a process's workers. */
export function outboxParkedOf(workers: readonly Worker[]): Record<string, () => Promise<number>> {
  const parked: Record<string, () => Promise<number>> = {};
  for (const worker of workers) {
    const schema = RELAY_NAME.exec(worker.name)?.[1];
    const count = (worker as Partial<{ parked: () => Promise<number> }>).parked;
    if (schema && typeof count === 'function') parked[schema] = count;
  }
  return parked;
}
