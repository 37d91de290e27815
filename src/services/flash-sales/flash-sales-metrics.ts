import type { Metrics } from '../../platform/telemetry/metrics.js';

export type SpikeStep = 'join' | 'poll' | 'reserve';

/**
 * `floodgate_flash_sale_requests_total{step, outcome}`: the spike path's answers — joins, polls
 * (`waiting`, `admitted`, `sold_out`) and reservations (`reserved`, `replayed`) or the refusal's
 * code — so a sale's shape (how many wait, how many sell out, how many hit their limit) is visible
 * without a log query. Outcomes are a closed set of codes, never ids.
 */
export function createSpikePathMetrics(metrics: Metrics) {
  const requests = metrics.counter('floodgate_flash_sale_requests_total', 'Flash-sale joins, polls and reservations by outcome', ['step', 'outcome']);
  const perStep = (step: SpikeStep) => metrics.tallyPer(requests, (outcome: string) => ({ step, outcome }));
  const tallies: Record<SpikeStep, (outcome: string) => void> = { join: perStep('join'), poll: perStep('poll'), reserve: perStep('reserve') };
  return {
    /** counts an answer made outside a wrapped use case (the HTTP fast lane's polls): a tally per outcome, made once */
    count: (step: SpikeStep, outcome: string) => tallies[step](outcome),
    /** wraps a use case: each answer counts once under its step and outcome */
    counted<I, R extends { ok: boolean }>(step: SpikeStep, run: (input: I) => Promise<R>, outcomeOf: (result: R) => string): (input: I) => Promise<R> {
      return async (input) => {
        const result = await run(input);
        requests.inc({ step, outcome: outcomeOf(result) });
        return result;
      };
    },
  };
}

/** a refusal's code, or what a success was */
export const outcomeOf = (result: { ok: true } | { ok: false; code: string }, success: string) => (result.ok ? success : result.code);

/**
 * `floodgate_flash_sale_waiting` and `floodgate_flash_sale_admitted_unresolved`: customers in the waiting rooms of
 * the live sales behind their frontier, and admitted ones that have not reserved (or lapsed) yet, as this process's
 * last admission tick read them (≤ 250 ms old). Every flash-sales instance reports the same figures (the counters
 * are shared): take the max across instances, not the sum. The Kubernetes HPA of flash-sales scales on the first.
 */
export function createWaitingRoomGauges(metrics: Metrics) {
  const waiting = metrics.gauge('floodgate_flash_sale_waiting', 'Customers waiting behind the frontier in live flash sales (max across instances)');
  const unresolved = metrics.gauge('floodgate_flash_sale_admitted_unresolved', 'Admitted flash-sale customers who have not reserved yet (max across instances)');
  return (totals: { waiting: number; unresolved: number }) => {
    waiting.set(totals.waiting);
    unresolved.set(totals.unresolved);
  };
}
