import type { Logger } from 'pino';
import { createPollingWorker } from '../../platform/polling-worker.js';
import type { Worker } from '../../platform/service.js';
import type { CartsClient } from '../carts/contract/carts-client.js';
import type { AbandonedCheckout, IdempotencyStore } from './idempotency/idempotency-store.js';

export interface SweepAbandonedCheckoutsDeps {
  store: IdempotencyStore;
  carts: CartsClient;
  logger: Logger;
  /** the orders clock: the one idempotency locks are written with */
  clock: () => Date;
  /**
   * How long past its lock a claim is left alone. Longer than the stock hold, so that the hold of
   * a checkout that died has run out before its cart can be checked out again.
   */
  abandonAfterMs: number;
  /**
   * How long the sweeper holds a claim while it gives the cart back. A retry of the key meanwhile
   * is told to retry shortly; it only matters if the sweeper dies in between, and a reopen takes
   * milliseconds, so it is generous.
   */
  leaseMs?: number;
  batchSize?: number;
}

/**
 * Gives back the carts of checkouts that died after claiming the cart and were never retried: the
 * cart stays checked out by an order id that never became an order, and would be read-only forever.
 * Each such claim is also deleted, so its key is free again; a late retry with it starts afresh.
 *
 * The claim is seized first, fenced on its lock, and only then is the cart reopened: from that
 * moment no retry can take the claim over and place its order, so a cart is never reopened under
 * an order that exists. Of several sweepers, or a sweeper and a retry, one wins the seizure.
 * Resolves with how many checkouts it swept.
 */
export const makeSweepAbandonedCheckouts =
  ({ store, carts, logger, clock, abandonAfterMs, leaseMs = 5 * 60_000, batchSize = 100 }: SweepAbandonedCheckoutsDeps) =>
  async (): Promise<number> => {
    const abandoned = await store.findAbandoned({ lockedBefore: new Date(clock().getTime() - abandonAfterMs), limit: batchSize });
    let swept = 0;
    for (const checkout of abandoned) {
      try {
        if (await sweep(checkout)) swept++;
      } catch (err) {
        // a seized claim whose cart could not be given back is found again once its lease is long
        // past; until then a retry of the key may take it over and resume its order
        logger.error({ err, orderId: checkout.orderId, cartId: checkout.cartId }, 'could not sweep an abandoned checkout; it is tried again later');
      }
    }
    return swept;

    async function sweep(checkout: AbandonedCheckout): Promise<boolean> {
      const lockedUntil = new Date(clock().getTime() + leaseMs);
      // false: a retry took the claim over meanwhile (its order may yet be placed), or another sweeper did
      if (!(await store.seizeAbandoned(checkout, lockedUntil))) return false;
      // past the lease a retry may have resumed the order: its cart is no longer ours to give back
      if (clock() >= lockedUntil) return false;
      // a no-op unless this very order id still holds the cart
      if (checkout.cartId && checkout.orderId) await carts.reopen(checkout.cartId, checkout.orderId);
      await store.release({ customerId: checkout.customerId, key: checkout.key, lockedUntil });
      logger.info({ customerId: checkout.customerId, orderId: checkout.orderId, cartId: checkout.cartId }, 'swept an abandoned checkout: its cart is open again and its key free');
      return true;
    }
  };

export interface AbandonedCheckoutSweepWorkerDeps extends SweepAbandonedCheckoutsDeps {
  intervalMs?: number;
}

/** Runs the sweep every minute, and again at once after a pass that swept some, so a backlog drains. */
export function createAbandonedCheckoutSweepWorker({ intervalMs = 60_000, ...deps }: AbandonedCheckoutSweepWorkerDeps): Worker {
  return createPollingWorker({
    name: 'orders-abandoned-checkout-sweep',
    pass: makeSweepAbandonedCheckouts(deps),
    logger: deps.logger,
    idleMs: intervalMs,
    continueWhileBusy: true,
  });
}
