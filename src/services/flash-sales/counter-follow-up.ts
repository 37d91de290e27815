import type { Logger } from 'pino';
import type { CounterStore } from '../../platform/counters/counter-store.js';
import { createAggregatedFailureLog, type AggregatedFailureLog } from '../../platform/telemetry/failure-log.js';
import type { SaleReservationStatus } from './contract/flash-sales-client.js';

/**
 * What the counters must do once PostgreSQL recorded a reservation's new status. PostgreSQL is
 * written first; the counters follow. Each step is idempotent and only ever moves a hold forward
 * (held → sold → gone, or held → gone), so repeating it, or running it late and out of order,
 * cannot bring a unit back twice:
 * - `ordered` / `sold`: the hold is settled (it leaves `held`, stays on the customer's count);
 * - `released` / `expired`: its units are available again, whether it was still held or already
 *   settled (a declined or cancelled order), and off the customer's count;
 * - `held`: nothing (a claim given back stays settled in the counters until its lease ends;
 *   `available` is the same either way).
 * A scope that is not loaded answers false: its reload reads the new status from PostgreSQL.
 */
export async function followUpCounters(counters: CounterStore, saleId: string, holdId: string, status: SaleReservationStatus): Promise<boolean> {
  if (status === 'ordered' || status === 'sold') return counters.settle(saleId, holdId);
  if (status === 'released' || status === 'expired') return (await counters.release(saleId, holdId)) || (await counters.unsell(saleId, holdId));
  return false;
}

/**
 * The inline follow-up right after a PostgreSQL change: a counter store that is down must not fail
 * the change itself (it is committed), so the failure is logged; the `flash_sale.reservation_changed`
 * event applies the same step again (sync-counters.ts), and the reconciler repairs what both miss.
 */
export async function followUpCountersNow(deps: { counters: CounterStore; logger: Logger }, saleId: string, holdId: string, status: SaleReservationStatus) {
  const failures = failureLogOf(deps.logger);
  try {
    await followUpCounters(deps.counters, saleId, holdId, status);
    failures.success('follow-up');
  } catch (err) {
    failures.failure('follow-up', err, { saleId, reservationId: holdId, status, then: 'its reservation_changed event retries it' });
  }
}

// one aggregated log per service logger: during a Redis outage every outcome fails, one line per interval says so
const failureLogs = new WeakMap<Logger, AggregatedFailureLog>();
function failureLogOf(logger: Logger): AggregatedFailureLog {
  let log = failureLogs.get(logger);
  if (!log) failureLogs.set(logger, (log = createAggregatedFailureLog({ logger, dependency: 'flash-sale counters' })));
  return log;
}
