import { AppError } from '../../platform/http/app-error.js';
import type { OrderStatus } from './contract/events.js';
import type { PlaceOrderFailure } from './place-order.js';
import type { PlaceSaleOrderFailure } from './place-sale-order.js';

/** The orders service's error catalogue: stable codes, messages that say what to do next. */
export const OrdersErrors = {
  notFound: (id: string) => new AppError('ORDERS_NOT_FOUND', 'not_found', `Order ${id} does not exist`),
  illegalTransition: (id: string, from: OrderStatus, to: OrderStatus) =>
    new AppError('ORDERS_ILLEGAL_TRANSITION', 'conflict', `Order ${id} is ${from}; it cannot become ${to}`),
  refundUnconfirmed: (id: string) =>
    new AppError('ORDERS_REFUND_UNCONFIRMED', 'unavailable', `The payment provider did not confirm the refund of order ${id}; the order is unchanged, retry shortly`, {
      retryAfterSeconds: 5,
    }),
  busy: (id: string) =>
    new AppError('ORDERS_BUSY', 'conflict', `Order ${id} is changing right now; read it again and retry`, { retryAfterSeconds: 1 }),
  invalidCursor: () =>
    new AppError('ORDERS_INVALID_CURSOR', 'bad_request', 'The cursor is not one this API gave out; start again without a cursor', {
      fields: [{ field: 'query.cursor', message: 'unknown cursor' }],
    }),
};

export const CheckoutErrors = {
  cartNotFound: (cartId: string) =>
    new AppError('CHECKOUT_CART_NOT_FOUND', 'not_found', `Cart ${cartId} does not exist; create a cart and add items first`),
  cartEmpty: (cartId: string) => new AppError('CHECKOUT_CART_EMPTY', 'unprocessable', `Cart ${cartId} is empty; add items before checking out`),
  cartAlreadyCheckedOut: (cartId: string) =>
    new AppError('CHECKOUT_CART_ALREADY_CHECKED_OUT', 'conflict', `Cart ${cartId} was already checked out; see GET /v1/orders for its order`),
  cartBusy: (cartId: string) =>
    new AppError('CHECKOUT_CART_BUSY', 'conflict', `Cart ${cartId} is held by a checkout that has not finished or is being undone; nothing was sold: retry shortly`, {
      retryAfterSeconds: 2,
    }),
  itemUnavailable: (variantId: string | undefined) =>
    new AppError('CHECKOUT_ITEM_UNAVAILABLE', 'conflict', `${variantId ? `Variant ${variantId}` : 'An item'} can no longer be bought; remove it from the cart and retry`),
  insufficientStock: (variantId: string, available: number) =>
    new AppError('CHECKOUT_INSUFFICIENT_STOCK', 'conflict', `Only ${available} of variant ${variantId} left; lower the quantity or remove it and retry`, {
      fields: [{ field: `variants.${variantId}`, message: `only ${available} available` }],
    }),

  holdExpired: (cartId: string) =>
    new AppError('CHECKOUT_HOLD_EXPIRED', 'conflict', `This checkout of cart ${cartId} waited too long and its stock hold ran out; the cart is open again: check out with a new Idempotency-Key`),

  reservationNotFound: (reservationId: string) =>
    new AppError('FLASH_SALE_RESERVATION_NOT_FOUND', 'not_found', `Flash-sale reservation ${reservationId} does not exist or is not yours; reserve a unit first`, {
      fields: [{ field: 'body.reservationId', message: 'unknown reservation' }],
    }),
  reservationExpired: (reservationId: string) =>
    new AppError('FLASH_SALE_RESERVATION_EXPIRED', 'conflict', `Flash-sale reservation ${reservationId} expired or was released before checkout; its unit is back on sale: reserve again`, {
      fields: [{ field: 'body.reservationId', message: 'expired or released' }],
    }),
  reservationClaimed: (reservationId: string) =>
    new AppError('FLASH_SALE_RESERVATION_CLAIMED', 'conflict', `Flash-sale reservation ${reservationId} was already checked out by another order; see GET /v1/orders`, {
      fields: [{ field: 'body.reservationId', message: 'already checked out' }],
    }),
  saleEnded: (reservationId: string) =>
    new AppError('FLASH_SALE_ENDED', 'conflict', `The flash sale of reservation ${reservationId} has ended; its units are no longer on sale`),
  reservationHoldExpired: (reservationId: string) =>
    new AppError('CHECKOUT_RESERVATION_HOLD_EXPIRED', 'conflict', `This checkout of reservation ${reservationId} waited too long and its stock hold ran out; check out again with a new Idempotency-Key while the reservation lasts`),

  fromSale(failure: PlaceSaleOrderFailure): AppError {
    switch (failure.code) {
      case 'FLASH_SALE_RESERVATION_NOT_FOUND':
        return CheckoutErrors.reservationNotFound(failure.reservationId);
      case 'FLASH_SALE_RESERVATION_EXPIRED':
        return CheckoutErrors.reservationExpired(failure.reservationId);
      case 'FLASH_SALE_RESERVATION_CLAIMED':
        return CheckoutErrors.reservationClaimed(failure.reservationId);
      case 'FLASH_SALE_ENDED':
        return CheckoutErrors.saleEnded(failure.reservationId);
      case 'CHECKOUT_INSUFFICIENT_STOCK':
        return CheckoutErrors.insufficientStock(failure.variantId, failure.available);
      case 'CHECKOUT_RESERVATION_HOLD_EXPIRED':
        return CheckoutErrors.reservationHoldExpired(failure.reservationId);
    }
  },

  from(failure: PlaceOrderFailure): AppError {
    switch (failure.code) {
      case 'CHECKOUT_CART_NOT_FOUND':
        return CheckoutErrors.cartNotFound(failure.cartId);
      case 'CHECKOUT_CART_EMPTY':
        return CheckoutErrors.cartEmpty(failure.cartId);
      case 'CHECKOUT_CART_ALREADY_CHECKED_OUT':
        return CheckoutErrors.cartAlreadyCheckedOut(failure.cartId);
      case 'CHECKOUT_CART_BUSY':
        return CheckoutErrors.cartBusy(failure.cartId);
      case 'CHECKOUT_ITEM_UNAVAILABLE':
        return CheckoutErrors.itemUnavailable(failure.variantId);
      case 'CHECKOUT_INSUFFICIENT_STOCK':
        return CheckoutErrors.insufficientStock(failure.variantId, failure.available);
      case 'CHECKOUT_HOLD_EXPIRED':
        return CheckoutErrors.holdExpired(failure.cartId);
    }
  },
};
