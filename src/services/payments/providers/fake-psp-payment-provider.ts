import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  isBrokenCircuitError,
  isTaskCancelledError,
  retry,
  timeout,
  wrap,
} from 'cockatiel';
import { Pool } from 'undici';
import {
  PaymentProviderError,
  TransientPaymentError,
  type PaymentProvider,
  type ProviderChargeOutcome,
  type ProviderRefundOutcome,
} from './payment-provider.js';
import { MAX_PSP_ANSWER_BYTES, parsePspAnswer } from './psp-answer.js';

export interface FakePspProviderOptions {
  /** e.g. http://127.0.0.1:4242 */
  baseUrl: string;
  /** per attempt; the PSP's slowest test token answers well inside it */
  timeoutMs?: number;
  /** attempts in total, including the first */
  attempts?: number;
  backoff?: { initialDelayMs: number; maxDelayMs: number };
  breaker?: { consecutiveFailures: number; halfOpenAfterMs: number };
  /** keep-alive connections to the PSP */
  connections?: number;
}

interface PspResponse {
  status: number;
  body: { id?: string; status?: string; reason?: string; refundId?: string; error?: { code?: string; message?: string } };
}

const isTransientStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * The payment provider over HTTP: one keep-alive pool, and per call a timeout inside a circuit
 * breaker inside a retry with exponential backoff and jitter. Only transient failures are retried
 * or counted by the breaker: a declined card is an answer, not a failure. Every attempt carries
 * the same Idempotency-Key, so the PSP captures at most once however many attempts reach it.
 */
export function createFakePspPaymentProvider({
  baseUrl,
  timeoutMs = 5_000,
  attempts = 3,
  backoff = { initialDelayMs: 100, maxDelayMs: 2_000 },
  breaker = { consecutiveFailures: 10, halfOpenAfterMs: 5_000 },
  connections = 64,
}: FakePspProviderOptions): PaymentProvider {
  const url = new URL(baseUrl);
  const prefix = url.pathname.replace(/\/+$/, '');
  const pool = new Pool(url.origin, { connections, keepAliveTimeout: 30_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, maxResponseSize: MAX_PSP_ANSWER_BYTES });

  const transient = handleWhen((err) => err instanceof TransientPaymentError);
  const policy = wrap(
    retry(transient, { maxAttempts: Math.max(0, attempts - 1), backoff: new ExponentialBackoff({ initialDelay: backoff.initialDelayMs, maxDelay: backoff.maxDelayMs }) }),
    circuitBreaker(transient, { halfOpenAfter: breaker.halfOpenAfterMs, breaker: new ConsecutiveBreaker(breaker.consecutiveFailures) }),
    // cooperative: undici aborts the request on the signal, and the abort surfaces as a transient error
    timeout(timeoutMs, TimeoutStrategy.Cooperative),
  );

  const post = async (path: string, idempotencyKey: string, payload: unknown, signal: AbortSignal): Promise<PspResponse> => {
    try {
      const res = await pool.request({
        path: `${prefix}${path}`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(payload),
        signal,
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: text ? parsePspAnswer(text) : {} };
    } catch (err) {
      const reason = signal.aborted ? `timed out after ${timeoutMs} ms` : (err as Error).message;
      throw new TransientPaymentError(`payment provider unreachable: ${reason}`, { cause: err });
    }
  };

  const call = async <T>(path: string, idempotencyKey: string, payload: unknown, interpret: (res: PspResponse) => T): Promise<T> => {
    try {
      return await policy.execute(async ({ signal }) => {
        const res = await post(path, idempotencyKey, payload, signal);
        if (isTransientStatus(res.status)) throw new TransientPaymentError(`payment provider answered ${res.status} ${res.body.error?.code ?? ''}`.trim());
        return interpret(res);
      });
    } catch (err) {
      if (isBrokenCircuitError(err)) throw new TransientPaymentError('payment provider circuit is open; retry later', { cause: err });
      if (isTaskCancelledError(err)) throw new TransientPaymentError(`payment provider timed out after ${timeoutMs} ms`, { cause: err });
      throw err;
    }
  };

  const unexpected = (what: string, res: PspResponse) =>
    new PaymentProviderError(`payment provider refused the ${what}: ${res.status} ${res.body.error?.code ?? ''} ${res.body.error?.message ?? ''}`.trim());

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

    refund: ({ reference, idempotencyKey }) =>
      call('/v1/refunds', idempotencyKey, { chargeId: reference }, (res): ProviderRefundOutcome => {
        if ((res.status === 200 || res.status === 201) && res.body.status === 'refunded') return { status: 'refunded', reference: res.body.id ?? null };
        if (res.status === 409 && res.body.error?.code === 'charge_already_refunded') return { status: 'refunded', reference: res.body.refundId ?? null };
        throw unexpected('refund', res);
      }),

    close: () => pool.close(),
  };
}
