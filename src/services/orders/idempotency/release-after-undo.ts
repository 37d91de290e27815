/**
 * A failed request's work may have claimed things under the claim's order id (the cart, a hold) and
 * been unable to give them back, because the database that failed refused the undo too; the undo then
 * runs in the background (record-order.ts). Until it lands, the idempotency key must stay claimed:
 * - released at once, the client's retry would start a new order id and meet the cart still held by
 *   the old one (409 CHECKOUT_CART_BUSY), for as long as the undo takes;
 * - and if the undo gives up, the claim is the only record of that order id: with it, a retry of the
 *   key resumes the order on its cart and hold, or the abandoned-checkout sweeper gives the cart back.
 *   Without it, the cart would stay checked out by an order that never existed, for good.
 */
const pendingUndos = new WeakMap<object, Promise<boolean>>();

/** Marks a work's error: its undo is still running (`landed` resolves with whether it succeeded). */
export function releaseKeyAfterUndo(err: unknown, landed: Promise<boolean>): void {
  if (typeof err === 'object' && err !== null) pendingUndos.set(err, landed);
}

/** The undo still running for this error, if the work left one. */
export function pendingUndoOf(err: unknown): Promise<boolean> | undefined {
  return typeof err === 'object' && err !== null ? pendingUndos.get(err) : undefined;
}
