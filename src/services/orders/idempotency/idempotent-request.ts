import type { Logger } from 'pino';
import { AppError, CommonErrors, type ErrorKind, type FieldError } from '../../../platform/http/app-error.js';
import { statusOf } from '../../../platform/http/problem-details.js';
import type { BackgroundRetries } from '../../../platform/resilience/background-retries.js';
import { describeError } from '../../../platform/telemetry/failure-log.js';
import type { IdempotencyClaim, IdempotencyScope, IdempotencyStore, SavedResponse } from './idempotency-store.js';
import { pendingUndoOf } from './release-after-undo.js';
import { requestHash } from './request-hash.js';

/**
 * What the work did with its answer:
 * - `saved`: it saved the response itself, in the transaction that made the change
 * - `remember`: a final answer with no change behind it (sold out): save it for every retry
 * - `forget`: an answer that changed nothing and must leave no trace (a cart that is not yours)
 */
export interface WorkOutcome {
  response: SavedResponse;
  persistence: 'saved' | 'remember' | 'forget';
}

export interface IdempotentAnswer {
  response: SavedResponse;
  /** true when this is the saved answer of an earlier request */
  replayed: boolean;
}

interface SavedError {
  error: { code: string; kind: ErrorKind; message: string; fields?: FieldError[]; retryAfterSeconds?: number };
}

/** A final error, stored so that a retry re-raises it and the problem+json is rendered as for the first. */
export const responseOfError = (error: AppError): SavedResponse => ({
  status: statusOf(error.kind),
  body: {
    error: {
      code: error.code,
      kind: error.kind,
      message: error.message,
      ...(error.details.fields ? { fields: error.details.fields } : {}),
      ...(error.details.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.details.retryAfterSeconds } : {}),
    },
  } satisfies SavedError,
});

export function errorOfResponse(response: SavedResponse): AppError | undefined {
  if (response.status < 400) return undefined;
  const saved = (response.body as Partial<SavedError> | null)?.error;
  if (!saved) return new AppError('INTERNAL', 'internal', 'The saved answer for this Idempotency-Key is unreadable; retry with a new key');
  return new AppError(saved.code, saved.kind, saved.message, {
    ...(saved.fields ? { fields: saved.fields } : {}),
    ...(saved.retryAfterSeconds !== undefined ? { retryAfterSeconds: saved.retryAfterSeconds } : {}),
  });
}

export interface IdempotentRequestDeps {
  store: IdempotencyStore;
  logger: Logger;
  clock?: () => Date;
  /** how long a running request holds its key; past it a crashed request's key may be taken over */
  lockMs?: number;
  /** retries a key release that failed, outside the failed request's deadline, until the key's lock lapses */
  retries: BackgroundRetries;
}

/**
 * Stripe semantics for one request: same key and body → the saved answer; same key, other body →
 * 422; same key while running → 409 with Retry-After. The work runs at most once per key at a
 * time; if it throws, the key is released so the client's retry runs it again (once the work's undo landed,
 * when it left one running: release-after-undo.ts).
 */
export function makeIdempotentRequest({ store, logger, clock = () => new Date(), lockMs = 60_000, retries }: IdempotentRequestDeps) {
  /**
   * A key left claimed after its request failed is not harmless: the retry that takes it over once the lock lapses
   * resumes the same order id, whose hold the undo has released, and is told 409 CHECKOUT_HOLD_EXPIRED with stock
   * plentiful. So a release that fails (a database blip, or the request's deadline, often already spent: why it
   * failed) is retried in the background, each attempt under the time left on the lock, past which the store refuses
   * it anyway (the key may be someone else's by then).
   */
  const releaseSurely = (claim: IdempotencyClaim) =>
    retries.run({
      what: 'release the idempotency key of a failed checkout',
      run: () => store.release(claim),
      forMs: claim.lockedUntil.getTime() - clock().getTime(),
      context: { orderId: claim.orderId },
      fallback: 'a retry of the key takes it over once its lock lapses',
    });

  /** `claimed.cartId`: the cart the work checks out, saved with the claim before the work can claim it */
  return async (scope: IdempotencyScope, body: unknown, work: (claim: IdempotencyClaim) => Promise<WorkOutcome>, claimed: { cartId?: string } = {}): Promise<IdempotentAnswer> => {
    const begun = await store.begin({ scope, requestHash: requestHash(body), now: clock(), lockMs, cartId: claimed.cartId ?? null });
    if (begun.outcome === 'completed') return { response: begun.response, replayed: true };
    if (begun.outcome === 'in_progress') throw CommonErrors.idempotencyKeyInFlight();
    if (begun.outcome === 'mismatch') throw CommonErrors.idempotencyKeyReused();

    let outcome: WorkOutcome;
    try {
      outcome = await work(begun.claim);
    } catch (err) {
      const undoing = pendingUndoOf(err);
      // the key is given back once what the work claimed is (release-after-undo.ts); an undo that gives up
      // leaves the claim, so that a retry resumes this order once the lock lapses, or the sweeper gives the cart back
      if (undoing) void undoing.then((landed) => (landed ? releaseSurely(begun.claim) : undefined));
      else {
        // at once when it can, so the client's immediate retry starts afresh; during a database outage this fails
        // with every request: one line each, no stack (the work's own error has it)
        await store.release(begun.claim).catch((releaseErr: unknown) => {
          logger.warn({ orderId: begun.claim.orderId, error: describeError(releaseErr) }, 'could not release an idempotency key; retrying in the background');
          void releaseSurely(begun.claim);
        });
      }
      throw err;
    }
    if (outcome.persistence === 'remember') await store.complete(begun.claim, outcome.response);
    if (outcome.persistence === 'forget') await store.release(begun.claim);
    return { response: outcome.response, replayed: false };
  };
}

export type IdempotentRequest = ReturnType<typeof makeIdempotentRequest>;
