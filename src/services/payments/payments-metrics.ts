import { registerCollectGauge } from '../../platform/telemetry/collect-gauge.js';
import type { Metrics } from '../../platform/telemetry/metrics.js';
import type { PaymentOutcome } from './attempt-charge.js';
import type { CircuitStateName } from './providers/payment-provider.js';
import type { PaymentStore } from './storage/payment-store.js';

const CIRCUIT_STATES: CircuitStateName[] = ['closed', 'half_open', 'open'];
const PENDING_STATES = { queued: 'queued', retrying: 'retrying', inFlight: 'in_flight' } as const;

/**
 * The payments families (docs/metrics.md): outcomes counted as they happen; the PSP circuit
 * (`floodgate_payments_psp_circuit_state{state}`, 1 for the current state, 0 for the others) and
 * the pending payments (`floodgate_payments_pending{state}`: queued, retrying, in_flight) read at
 * scrape time. The three pending series share one query per scrape.
 */
export function registerPaymentsMetrics(metrics: Metrics, { store, circuitState, clock }: { store: PaymentStore; circuitState: () => CircuitStateName; clock: () => Date }) {
  const outcomes = metrics.counter('floodgate_payments_total', 'Payment outcomes: captured, declined, refunded, transient_error', ['outcome']);

  for (const state of CIRCUIT_STATES) {
    registerCollectGauge(metrics, 'floodgate_payments_psp_circuit_state', "The payment provider's circuit: 1 for its current state", () => (circuitState() === state ? 1 : 0), { labels: { state } });
  }

  let counting: { at: number; counts: ReturnType<PaymentStore['countPending']> } | undefined;
  const counts = () => {
    const now = Date.now();
    if (!counting || now - counting.at > 500) counting = { at: now, counts: store.countPending(clock()) };
    return counting.counts;
  };
  for (const [key, state] of Object.entries(PENDING_STATES) as Array<[keyof typeof PENDING_STATES, string]>) {
    registerCollectGauge(metrics, 'floodgate_payments_pending', 'Payments not settled yet: queued (never tried), retrying (waiting for their next attempt), in_flight (leased by a worker)', async () => (await counts())[key], { labels: { state } });
  }

  return { recordOutcome: (outcome: PaymentOutcome) => outcomes.inc({ outcome }) };
}
