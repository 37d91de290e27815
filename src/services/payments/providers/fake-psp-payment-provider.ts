import { ExponentialBackoff, handleWhen, retry } from 'cockatiel';
import type { Logger } from 'pino';
import { Pool } from 'undici';
import {
  PaymentProviderError,
  TransientPaymentError,
  type PaymentProvider,
  type ProviderChargeOutcome,
  type ProviderRefundOutcome,
} from './payment-provider.js';
import { MAX_PSP_ANSWER_BYTES, parsePspAnswer } from './psp-answer.js';
import type { RetryBudget } from '../../../platform/resilience/retry-budget.js';
import { watchBreaker } from '../../../platform/resilience/breaker-metrics.js';
import type { Metrics } from '../../../platform/telemetry/metrics.js';
import { createPspCircuit, DEFAULT_PSP_CIRCUIT, type PspCircuitOptions } from './psp-circuit.js';

export interface FakePspProviderOptions {
  /** e.g. http://127.0.0.1:4242 */
  baseUrl: string;
  /** per call; the PSP's slowest test token answers well inside it */
  timeoutMs?: number;
  /** refund attempts in total, including the first (charges are retried by the payments worker, from the row) */
  refundAttempts?: number;
  backoff?: { initialDelayMs: number; maxDelayMs: number };
  circuit?: Partial<PspCircuitOptions>;
  /** keep-alive connections to the PSP */
  connections?: number;
  /** told when the circuit opens (warn) and closes again (info) */
  logger?: Pick<Logger, 'warn' | 'info'>;
  /** publishes the circuit as floodgate_breaker_state{breaker="psp"} */
  metrics?: Metrics;
  /** caps the refunds' in-call retries (platform/resilience/retry-budget.ts); charges are budgeted by the payments worker */
  retryBudget?: RetryBudget;
}

interface PspResponse {
  status: number;
  body: { id?: string; status?: string; reason?: string; refundId?: string; error?: { code?: string; message?: string } };
}

/**
 * Error codes with which a PSP answers about ONE charge (Stripe's `lock_timeout` and `rate_limit`,
 * an issuer that did not answer): the PSP itself is up, so these never count toward the circuit.
 */
const CHARGE_LEVEL_CODES = new Set(['lock_timeout', 'rate_limit', 'issuer_unavailable', 'processing_error']);

const isTransientStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/** What a call through the circuit yields: an answer, or "retry this charge" (which is still an answer). */
type Answer<T> = { ok: true; value: T } | { ok: false; error: TransientPaymentError };

/**
 * The payment provider over HTTP: one keep-alive pool, a deadline per call, and the PSP circuit
 * (psp-circuit.ts). Errors are classified: a decline is an answer; a charge-level transient error
 * (the PSP answered with a charge-level code) is retried for that payment only; no answer at all
 * (refused, reset, timeout, a bare 5xx) is provider-wide and feeds the circuit. Every attempt
 * carries the same Idempotency-Key, so the PSP captures at most once however many reach it.
 */
export function createFakePspPaymentProvider({
  baseUrl,
  timeoutMs = 5_000,
  refundAttempts = 3,
  backoff = { initialDelayMs: 100, maxDelayMs: 2_000 },
  circuit: circuitOptions = {},
  connections = 64,
  logger,
  metrics,
  retryBudget,
}: FakePspProviderOptions): PaymentProvider {
  const url = new URL(baseUrl);
  const prefix = url.pathname.replace(/\/+$/, '');
  const pool = new Pool(url.origin, { connections, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, maxResponseSize: MAX_PSP_ANSWER_BYTES });

  const send = async (method: 'GET' | 'POST', path: string, idempotencyKey?: string, payload?: unknown): Promise<PspResponse> => {
    // A signal of our own per call: cockatiel's shared default signal collected one abort listener
    // per concurrent call (the MaxListenersExceededWarning at 11 parallel charges).
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const res = await pool.request({
        path: `${prefix}${path}`,
        method,
        headers: { 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
        ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
        signal,
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: text ? parsePspAnswer(text) : {} };
    } catch (err) {
      const reason = signal.aborted ? `timed out after ${timeoutMs} ms` : (err as Error).message;
      throw new TransientPaymentError(`payment provider unreachable: ${reason}`, { scope: 'provider', cause: err });
    }
  };

  const circuitSettings = { ...DEFAULT_PSP_CIRCUIT, ...circuitOptions };
  const circuit = createPspCircuit(
    circuitSettings,
    async () => {
      const res = await send('GET', '/healthz');
      if (res.status !== 200) throw new TransientPaymentError(`payment provider health probe answered ${res.status}`, { scope: 'provider' });
    },
    (state) => {
      // one line per change, not per failed charge: the open period is the outage's heartbeat
      if (state === 'open') logger?.warn({ psp: url.origin, probeInMs: circuitSettings.halfOpenAfterMs }, 'payment provider circuit open: charges wait for its health probe');
      else if (state === 'closed') logger?.info({ psp: url.origin }, 'payment provider circuit closed: charging again');
    },
  );

  if (metrics) watchBreaker(metrics, 'psp', circuit.policy);

  /** one call through the circuit: charge-level answers come back as values, so they count as successes */
  const call = async <T>(path: string, idempotencyKey: string, payload: unknown, interpret: (res: PspResponse) => T): Promise<T> => {
    const answer = await circuit.call(async (): Promise<Answer<T>> => {
      const res = await send('POST', path, idempotencyKey, payload);
      const code = res.body.error?.code;
      if (isTransientStatus(res.status)) {
        const message = `payment provider answered ${res.status} ${code ?? ''}`.trim();
        if (code && CHARGE_LEVEL_CODES.has(code)) return { ok: false, error: new TransientPaymentError(message, { scope: 'charge' }) };
        throw new TransientPaymentError(message, { scope: 'provider' });
      }
      return { ok: true, value: interpret(res) };
    });
    if (!answer.ok) throw answer.error;
    return answer.value;
  };

  // refunds run inside an orders event handler, so a short in-call retry saves a redelivery
  // the failures whose retry the budget refused: thrown as they are, not retried
  const overBudget = new WeakSet<object>();
  const refundRetry = retry(
    handleWhen((err) => err instanceof TransientPaymentError && !err.notSent && !overBudget.has(err)),
    { maxAttempts: Math.max(0, refundAttempts - 1), backoff: new ExponentialBackoff({ initialDelay: backoff.initialDelayMs, maxDelay: backoff.maxDelayMs }) },
  );

  // A 1xx–3xx answer without a well-formed result (garbage, a redirect) is no answer at all: the PSP
  // may have captured, so it is retried with the same key like a timeout, never taken as final.
  const unexpected = (what: string, res: PspResponse) =>
    res.status < 400
      ? new TransientPaymentError(`payment provider answered the ${what} with ${res.status} but no usable result`, { scope: 'provider' })
      : new PaymentProviderError(`payment provider refused the ${what}: ${res.status} ${res.body.error?.code ?? ''} ${res.body.error?.message ?? ''}`.trim());

  return {
    charge: ({ amount, currency, token, idempotencyKey }) =>
      call('/v1/charges', idempotencyKey, { amount, currency, token }, (res): ProviderChargeOutcome => {
        if ((res.status === 200 || res.status === 201) && res.body.status === 'captured' && res.body.id) {
          return { status: 'captured', reference: res.body.id };
        }
        if (res.status === 402) return { status: 'declined', reason: res.body.reason ?? 'card_declined' };
        // a token the PSP does not know is the shopper's problem, reported like a decline
        if (res.status === 400 && (res.body.error?.code === 'invalid_token' || res.body.error?.code === 'card_data_rejected')) {
          return { status: 'declined', reason: res.body.error.code };
        }
        throw unexpected('charge', res);
      }),

    refund: ({ reference, idempotencyKey }) => {
      retryBudget?.recordAttempt();
      let last: unknown;
      return refundRetry.execute(
        async ({ attempt }) => {
          // the budget is asked when a retry is due, so it counts retries actually made; refused, the last
          // failure is what the caller gets (the orders handler's redelivery tries again later)
          if (attempt > 0 && retryBudget && !retryBudget.canRetry()) {
            if (last && typeof last === 'object') overBudget.add(last);
            throw last;
          }
          try {
            return await call('/v1/refunds', idempotencyKey, { chargeId: reference }, (res): ProviderRefundOutcome => {
              if ((res.status === 200 || res.status === 201) && res.body.status === 'refunded') return { status: 'refunded', reference: res.body.id ?? null };
              if (res.status === 409 && res.body.error?.code === 'charge_already_refunded') return { status: 'refunded', reference: res.body.refundId ?? null };
              throw unexpected('refund', res);
            });
          } catch (err) {
            last = err;
            throw err;
          }
        },
        // a fresh signal per call, for the same reason as in send()
        new AbortController().signal,
      );
    },

    availability: () => circuit.availability(),
    circuitState: () => circuit.state(),
    close: () => pool.close(),
  };
}
