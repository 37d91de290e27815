import type { FlashSalesClient } from '../flash-sales/contract/flash-sales-client.js';
import type { IdempotencyClaim, SavedResponse } from './idempotency/idempotency-store.js';
import type { makeRecordOrder } from './record-order.js';
import type { ShippingAddress } from './storage/order-store.js';
import type { UndoFailedCheckout } from './undo-failed-checkout.js';

export interface PlaceSaleOrderDeps {
  flashSales: Pick<FlashSalesClient, 'claimReservation' | 'releaseClaim'>;
  /** holds the stock and writes the order (record-order.ts) */
  recordOrder: ReturnType<typeof makeRecordOrder>;
  /** gives the reservation back when its claim failed and may have landed (undo-failed-checkout.ts) */
  undoFailedCheckout: UndoFailedCheckout;
}

export interface PlaceSaleOrderInput {
  customerId: string;
  reservationId: string;
  email: string | null;
  shippingAddress: ShippingAddress;
  paymentToken: string;
  /** this request's claim on its idempotency key; its `orderId` is the order placed */
  idempotency: IdempotencyClaim;
}

export type PlaceSaleOrderFailure =
  | { ok: false; code: 'FLASH_SALE_RESERVATION_NOT_FOUND' | 'FLASH_SALE_RESERVATION_EXPIRED' | 'FLASH_SALE_RESERVATION_CLAIMED'; reservationId: string }
  /** the sale ended, taking its units back to the shelf, between the reservation and this checkout */
  | { ok: false; code: 'FLASH_SALE_ENDED'; reservationId: string }
  | { ok: false; code: 'CHECKOUT_INSUFFICIENT_STOCK'; variantId: string; available: number }
  | { ok: false; code: 'CHECKOUT_RESERVATION_HOLD_EXPIRED'; reservationId: string };

export type PlaceSaleOrderResult = { ok: true; orderId: string; response: SavedResponse } | PlaceSaleOrderFailure;

/**
 * Checkout from a flash-sale reservation: the sale turns the customer's live reservation into
 * order lines at the sale price (`held` → `ordered` for this order id), the order's stock hold is
 * carved out of the sale's allocation (the units were set aside for the sale when it was created,
 * so they cannot be sold twice), then the order is written as any other (record-order.ts).
 *
 * The claim and the carve are idempotent for the order id, so a retry that takes over a crashed
 * attempt finishes the same order. When the order cannot be written, the carved hold goes back to
 * the allocation and the claim is given back (the reservation is `held` again while its lease runs).
 */
export const makePlaceSaleOrder =
  ({ flashSales, recordOrder, undoFailedCheckout }: PlaceSaleOrderDeps) =>
  async (input: PlaceSaleOrderInput): Promise<PlaceSaleOrderResult> => {
    const { orderId } = input.idempotency;
    const { reservationId } = input;
    const giveBack = () => flashSales.releaseClaim({ reservationId, orderId });
    const context = { flashSaleReservationId: reservationId };
    const fallback = 'a retry of its key resumes it, else its carved hold expires back into the sale and the reservation lease ends';
    let claimed: Awaited<ReturnType<typeof flashSales.claimReservation>>;
    try {
      claimed = await flashSales.claimReservation({ reservationId, customerId: input.customerId, orderId });
    } catch (err) {
      // the claim may have landed though its answer did not: give it back (undo-failed-checkout.ts)
      await undoFailedCheckout(err, { idempotency: input.idempotency, undo: giveBack, context, fallback });
      throw err;
    }
    if (!claimed.ok) return { ok: false, code: claimed.code, reservationId };
    const { reservation } = claimed;

    const recorded = await recordOrder({
      ...input,
      cartId: null,
      lines: reservation.lines,
      currency: reservation.lines[0]!.unitPrice.currency,
      from: reservation.allocationReservationId,
      giveBack,
      context: { ...context, saleId: reservation.saleId },
      fallback,
    });
    if (recorded.ok) return recorded;
    const { refused } = recorded;
    switch (refused.code) {
      case 'INVENTORY_ALLOCATION_NOT_HELD':
        return { ok: false, code: 'FLASH_SALE_ENDED', reservationId };
      case 'INVENTORY_INSUFFICIENT':
        return { ok: false, code: 'CHECKOUT_INSUFFICIENT_STOCK', variantId: refused.variantId, available: refused.available };
      case 'INVENTORY_RESERVATION_RELEASED':
        return { ok: false, code: 'CHECKOUT_RESERVATION_HOLD_EXPIRED', reservationId };
    }
  };
