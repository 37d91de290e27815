import { CircuitState, SamplingBreaker, circuitBreaker, handleWhen, isBrokenCircuitError } from 'cockatiel';
import { TransientPaymentError, type CircuitStateName, type ProviderAvailability } from './payment-provider.js';

export interface PspCircuitOptions {
  /** share of calls (0–1) failing provider-wide over the window that opens the circuit */
  threshold: number;
  /** the sampling window */
  windowMs: number;
  /** below this throughput the circuit never opens: three failed calls at night are not an outage */
  minimumRps: number;
  /** how long the circuit stays open before the health probe is tried */
  halfOpenAfterMs: number;
}

export const DEFAULT_PSP_CIRCUIT: PspCircuitOptions = { threshold: 0.5, windowMs: 10_000, minimumRps: 2, halfOpenAfterMs: 5_000 };

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

const providerWide = (err: unknown) => err instanceof TransientPaymentError && err.scope === 'provider';

/**
 * The payment provider's circuit: a SamplingBreaker over the share of calls that failed
 * provider-wide (refused, reset, timed out, bare 5xx) in a window, once there is enough traffic to
 * judge. A charge the provider answered — captured, declined, or "retry this charge" — counts as a
 * success: a customer's flaky card says nothing about the provider's health. When the open period
 * ends, the trial call is `probe` (the provider's health endpoint); charges wait for its verdict.
 */
export function createPspCircuit(options: PspCircuitOptions, probe: () => Promise<void>, onStateChange: (state: CircuitStateName) => void = () => {}) {
  const policy = circuitBreaker(handleWhen(providerWide), {
    halfOpenAfter: options.halfOpenAfterMs,
    breaker: new SamplingBreaker({ threshold: options.threshold, duration: options.windowMs, minimumRps: options.minimumRps }),
  });
  let openedAt = 0;
  policy.onBreak(() => {
    openedAt = Date.now();
  });
  policy.onStateChange((state) => onStateChange(STATE_NAMES[state]));
  const retryAt = () => new Date(openedAt + options.halfOpenAfterMs);

  const execute = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await policy.execute(fn);
    } catch (err) {
      if (isBrokenCircuitError(err)) {
        throw new TransientPaymentError('payment provider circuit is open; retry later', { scope: 'provider', cause: err, retryAt: retryAt(), notSent: true });
      }
      throw err;
    }
  };

  const availability = async (): Promise<ProviderAvailability> => {
    if (policy.state === CircuitState.Closed) return { available: true };
    if (policy.state === CircuitState.Open && Date.now() < retryAt().getTime()) return { available: false, retryAt: retryAt() };
    try {
      // Open and due: this probe becomes the half-open trial. Half-open: cockatiel waits for the
      // running trial, then (closed) lets this probe through as an ordinary cheap call.
      await execute(probe);
      return { available: true };
    } catch {
      return { available: false, retryAt: retryAt() };
    }
  };

  return {
    /** runs a call through the breaker once the circuit lets charges through; never as a trial */
    async call<T>(fn: () => Promise<T>): Promise<T> {
      if (policy.state !== CircuitState.Closed) {
        const gate = await availability();
        if (!gate.available) throw new TransientPaymentError('payment provider circuit is open; retry later', { scope: 'provider', retryAt: gate.retryAt, notSent: true });
      }
      return execute(fn);
    },
    availability,
    state: (): CircuitStateName => STATE_NAMES[policy.state],
    /** the cockatiel policy, for watchBreaker (metrics) */
    policy,
  };
}

export type PspCircuit = ReturnType<typeof createPspCircuit>;
