import {
  CircuitState,
  ExponentialBackoff,
  SamplingBreaker,
  circuitBreaker,
  fullJitterGenerator,
  handleWhen,
  isBrokenCircuitError,
  retry,
} from 'cockatiel';
import { currentDeadline, remainingMs } from './deadline.js';

/**
 * A retry budget (retry-budget.ts): every call is recorded, and a retry is made only while the budget
 * allows it, so a dependency in trouble sees a bounded share of extra traffic, never a retry storm.
 */
export interface RetryBudget {
  recordAttempt(): void;
  canRetry(): boolean;
}

export type CircuitStateName = 'closed' | 'open' | 'half_open';

export interface OutboundPolicyOptions {
  /** the dependency, as the deadline records it (`markUnavailable`) and the errors name it */
  dependency: string;
  /** one attempt's longest wait; always cut to what is left of the request's deadline */
  timeoutMs: number;
  /** attempts in total for an idempotent call, the first included; non-idempotent calls get one */
  maxAttempts: number;
  /** full-jitter exponential backoff between attempts: a random wait in [0, min(max, initial·2ⁿ)] */
  backoff?: { initialDelayMs: number; maxDelayMs: number };
  /** the PSP breaker's shape (psp-circuit.ts): share of failing calls over a window, once traffic is enough to judge */
  circuit?: { threshold: number; windowMs: number; minimumRps: number; halfOpenAfterMs: number };
  /** whether a failure says the dependency is unwell (retried, counted by the breaker); answers it gave are not */
  isTransient: (err: unknown) => boolean;
  retryBudget?: RetryBudget;
  /** an attempt shorter than this is not started: it could not get an answer before the deadline anyway */
  minimumAttemptMs?: number;
  onStateChange?: (state: CircuitStateName) => void;
}

export const DEFAULT_OUTBOUND_CIRCUIT = { threshold: 0.5, windowMs: 10_000, minimumRps: 5, halfOpenAfterMs: 5_000 };
export const DEFAULT_OUTBOUND_BACKOFF = { initialDelayMs: 50, maxDelayMs: 1_000 };

/** The dependency did not answer in time, is known to be down for this request, or its circuit is open. */
export class DependencyUnavailableError extends Error {
  override name = 'DependencyUnavailableError';
  readonly transient = true;
  constructor(
    readonly dependency: string,
    message: string,
    /** when a retry may succeed: the end of the open period, or a couple of seconds */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/**
 * One policy per outbound dependency (a service, the PSP): a deadline per attempt (the request's, when
 * shorter), retries with full-jitter backoff for idempotent calls only, and a sampling circuit breaker
 * (the PSP circuit's design, generalised). An open circuit or an exhausted deadline fails at once with
 * DependencyUnavailableError, and marks the dependency out for the rest of the request.
 */
export function createOutboundPolicy(options: OutboundPolicyOptions) {
  const { dependency, isTransient, retryBudget } = options;
  const circuitOptions = options.circuit ?? DEFAULT_OUTBOUND_CIRCUIT;
  const backoff = options.backoff ?? DEFAULT_OUTBOUND_BACKOFF;
  const minimumAttemptMs = options.minimumAttemptMs ?? 10;
  const breaker = circuitBreaker(handleWhen(isTransient), {
    halfOpenAfter: circuitOptions.halfOpenAfterMs,
    breaker: new SamplingBreaker({ threshold: circuitOptions.threshold, duration: circuitOptions.windowMs, minimumRps: circuitOptions.minimumRps }),
  });
  let openedAt = 0;
  breaker.onBreak(() => void (openedAt = Date.now()));
  if (options.onStateChange) {
    const notify = options.onStateChange;
    breaker.onStateChange((state) => notify(STATE_NAMES[state]));
  }
  const secondsToHalfOpen = () => Math.max(1, Math.ceil((openedAt + circuitOptions.halfOpenAfterMs - Date.now()) / 1000));

  const unavailable = (message: string, cause?: unknown, retryAfterSeconds = 2) => {
    const err = new DependencyUnavailableError(dependency, `${dependency}: ${message}`, retryAfterSeconds, { cause });
    currentDeadline()?.markUnavailable(dependency, err);
    return err;
  };

  const retryable = (err: unknown) =>
    isTransient(err) && !isBrokenCircuitError(err) && remainingMs() > minimumAttemptMs && (retryBudget ? retryBudget.canRetry() : true);

  const retrying = retry(handleWhen(retryable), {
    maxAttempts: Math.max(0, options.maxAttempts - 1),
    backoff: new ExponentialBackoff({ generator: fullJitterGenerator, initialDelay: backoff.initialDelayMs, maxDelay: backoff.maxDelayMs }),
  });

  /** one attempt: its own abort signal, cut to the request's deadline */
  const attempt = async <T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const known = currentDeadline()?.unavailable(dependency);
    if (known) throw unavailable('already unavailable for this request', known.cause);
    const ms = Math.min(options.timeoutMs, remainingMs());
    if (ms < minimumAttemptMs) throw unavailable('no time left in the request deadline');
    // a signal per attempt: a shared one collects a listener per concurrent call
    const signal = AbortSignal.timeout(ms);
    try {
      return await fn(signal);
    } catch (err) {
      if (signal.aborted) throw unavailable(`no answer within ${ms} ms`, err);
      throw err;
    }
  };

  return {
    /** runs `fn` under the policy; `idempotent: false` is never retried (a second attempt could act twice) */
    async execute<T>(fn: (signal: AbortSignal) => Promise<T>, { idempotent }: { idempotent: boolean }): Promise<T> {
      retryBudget?.recordAttempt();
      const once = () => breaker.execute(() => attempt(fn));
      try {
        return await (idempotent ? retrying.execute(once) : once());
      } catch (err) {
        if (isBrokenCircuitError(err)) throw unavailable('circuit open after repeated failures', err, secondsToHalfOpen());
        throw err;
      }
    },
    state: (): CircuitStateName => STATE_NAMES[breaker.state],
  };
}

export type OutboundPolicy = ReturnType<typeof createOutboundPolicy>;
