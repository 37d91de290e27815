import { CircuitState, type CircuitBreakerPolicy } from 'cockatiel';
import type { Metrics } from '../telemetry/metrics.js';

/** `floodgate_breaker_state` values: what /ops and the dashboards read */
export const BREAKER_STATE_VALUE = { closed: 0, half_open: 1, open: 2 } as const;
export type BreakerStateName = keyof typeof BREAKER_STATE_VALUE;

const NAMES: Record<CircuitState, BreakerStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'open',
};

export const breakerStateName = (state: CircuitState): BreakerStateName => NAMES[state];

/**
 * Publishes a cockatiel breaker as `floodgate_breaker_state{breaker}` (0 closed, 1 half-open, 2 open) and
 * `floodgate_breaker_transitions_total{breaker, to}`: every breaker of a process (PSP, Redis, RabbitMQ publish,
 * service clients) in one family, so /ops shows them in one table.
 */
export function watchBreaker(metrics: Metrics, breaker: string, policy: Pick<CircuitBreakerPolicy, 'state' | 'onStateChange'>): void {
  const state = metrics.gauge('floodgate_breaker_state', 'Circuit breaker state per dependency: 0 closed, 1 half-open, 2 open', ['breaker']);
  const transitions = metrics.counter('floodgate_breaker_transitions_total', 'Circuit breaker state changes per dependency', ['breaker', 'to']);
  state.set({ breaker }, BREAKER_STATE_VALUE[NAMES[policy.state]]);
  policy.onStateChange((next) => {
    state.set({ breaker }, BREAKER_STATE_VALUE[NAMES[next]]);
    transitions.inc({ breaker, to: NAMES[next] });
  });
}
