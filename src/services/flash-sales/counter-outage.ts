import type { Logger } from 'pino';
import type { CounterStore } from '../../platform/counters/counter-store.js';
import { createAggregatedFailureLog } from '../../platform/telemetry/failure-log.js';

/**
 * The spike path's view of the counters: a counter store that cannot be reached (Redis killed,
 * restarting, timing out) answers like one that is not loaded — joins, polls and reservations say
 * 503 FLASH_SALE_UNAVAILABLE with Retry-After, never 500, and the reconciler rebuilds the scope once
 * Redis answers again. A take whose reply was lost may have run: its hold is then one the counters
 * have and PostgreSQL has not, which the reconciler releases (counters offering less, reconcile-counters.ts).
 *
 * Only the reads and the gate are wrapped: the follow-up steps (release, settle, unsell) and `load`
 * keep throwing, so an event redelivers them and a rebuild is retried.
 */
export function answerOutageAsNotLoaded(counters: CounterStore, logger: Logger): CounterStore {
  const failures = createAggregatedFailureLog({ logger, dependency: 'flash-sale counters' });
  const guard = async <T>(what: string, run: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      const result = await run();
      failures.success(what);
      return result;
    } catch (err) {
      failures.failure(what, err, { answered: 'FLASH_SALE_UNAVAILABLE' });
      return fallback;
    }
  };
  return {
    load: (scope, state, options) => counters.load(scope, state, options),
    drop: (scope) => counters.drop(scope),
    release: (scope, holdId) => counters.release(scope, holdId),
    settle: (scope, holdId) => counters.settle(scope, holdId),
    unsell: (scope, holdId) => counters.unsell(scope, holdId),
    expired: (scope, nowMs, max) => counters.expired(scope, nowMs, max),
    close: () => counters.close(),
    snapshot: (scope) => guard('snapshot', () => counters.snapshot(scope), null),
    enqueue: (scope, member) => guard('enqueue', () => counters.enqueue(scope, member), { ok: false, code: 'NOT_LOADED' }),
    admit: (scope, input) => guard('admit', () => counters.admit(scope, input), { ok: false, code: 'NOT_LOADED' }),
    take: (scope, input) => guard('take', () => counters.take(scope, input), { ok: false, code: 'NOT_LOADED' }),
  };
}
