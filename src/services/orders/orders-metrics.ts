import type { Logger } from 'pino';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import { ORDER_STATUSES } from './order-state-machine.js';
import type { OrderStore } from './storage/order-store.js';

const COLLECT_TIMEOUT_MS = 2_000;

/**
 * `floodgate_orders{status}`: one `group by status` per scrape (an index-only count), so nothing
 * in the checkout path has to keep a counter in step. A slow or failing database drops the series
 * for that scrape instead of failing /metrics as a whole.
 */
export function registerOrdersGauge(metrics: Metrics, store: OrderStore, logger: Logger): void {
  metrics.gauge('floodgate_orders', 'Orders by status, counted when scraped', ['status'], async function collect() {
    let timer: NodeJS.Timeout | undefined;
    try {
      const counts = await Promise.race([
        store.countByStatus(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${COLLECT_TIMEOUT_MS} ms`)), COLLECT_TIMEOUT_MS))),
      ]);
      for (const status of ORDER_STATUSES) this.set({ status }, counts.get(status) ?? 0);
    } catch (err) {
      this.reset();
      logger.warn({ err }, 'could not count orders by status for /metrics');
    } finally {
      clearTimeout(timer);
    }
  });
}
