import type { BackgroundRetries } from '../../platform/resilience/background-retries.js';
import type { IdempotencyClaim } from './idempotency/idempotency-store.js';
import { releaseKeyAfterUndo } from './idempotency/release-after-undo.js';

export interface UndoFailedCheckoutDeps {
  /** where the undo goes when it fails itself (the database is what failed) */
  compensations: BackgroundRetries;
  /** the orders clock: the one idempotency locks are written with */
  clock: () => Date;
}

export interface FailedCheckout {
  /** the request's claim: its order id is what the undo gives things back from */
  idempotency: IdempotencyClaim;
  /** gives back what was claimed under the order id (a hold, the cart, a sale reservation); idempotent */
  undo: () => Promise<void>;
  /** what the logs name if the undo has to be retried in the background */
  context: Record<string, unknown>;
  /** who takes over when that background undo gives up */
  fallback: string;
}

/**
 * Gives back what a checkout that failed had claimed under its order id, so that the client's retry
 * starts clean. A step whose call failed may still have landed (a statement sent to a database that
 * froze runs when it thaws, after the caller gave up), so the undo covers every step that was tried.
 *
 * The database is often what failed, and then the undo fails too: it is retried in the background for
 * as long as the claim on the key is locked, and the key stays claimed until it lands
 * (release-after-undo.ts). Within the lock nobody else can act for this order id; past it a retry of
 * the key resumes the order on what it claimed, or the abandoned-checkout sweeper gives the cart back.
 */
export const makeUndoFailedCheckout =
  ({ compensations, clock }: UndoFailedCheckoutDeps) =>
  async (err: unknown, { idempotency, undo, context, fallback }: FailedCheckout): Promise<void> => {
    try {
      await undo();
    } catch {
      const landed = compensations.run({
        what: 'undo a failed checkout',
        run: undo,
        forMs: idempotency.lockedUntil.getTime() - clock().getTime(),
        context: { orderId: idempotency.orderId, ...context },
        fallback,
      });
      releaseKeyAfterUndo(err, landed);
    }
  };

export type UndoFailedCheckout = ReturnType<typeof makeUndoFailedCheckout>;
