import { registerCollectGauge } from '../telemetry/collect-gauge.js';
import type { Metrics } from '../telemetry/metrics.js';

/**
 * `floodgate_outbox_backlog{schema}`: unpublished events per service outbox, counted at scrape time
 * from each relay's `backlog()`. A backlog that keeps growing means the relay or the broker is stuck
 * while orders are still being acknowledged — the `FloodgateOutboxBacklogGrowing` alert watches it.
 *
 *   registerOutboxBacklogGauge(metrics, { orders: ordersRelay.backlog, payments: paymentsRelay.backlog })
 */
export function registerOutboxBacklogGauge(metrics: Metrics, backlogs: Record<string, () => Promise<number>>): void {
  for (const [schema, backlog] of Object.entries(backlogs)) {
    registerCollectGauge(metrics, 'floodgate_outbox_backlog', 'Outbox events not yet published, per service schema', backlog, { labels: { schema } });
  }
}
