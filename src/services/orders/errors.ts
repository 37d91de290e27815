import { AppError } from '../../platform/http/app-error.js';
import type { OrderStatus } from './contract/events.js';
import type { PlaceOrderFailure } from './place-order.js';

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
  itemUnavailable: (variantId: string | undefined) =>
    new AppError('CHECKOUT_ITEM_UNAVAILABLE', 'conflict', `${variantId ? `Variant ${variantId}` : 'An item'} can no longer be bought; remove it from the cart and retry`),
  insufficientStock: (variantId: string, available: number) =>
    new AppError('CHECKOUT_INSUFFICIENT_STOCK', 'conflict', `Only ${available} of variant ${variantId} left; lower the quantity or remove it and retry`, {
      fields: [{ field: `variants.${variantId}`, message: `only ${available} available` }],
    }),

  holdExpired: (cartId: string) =>
    new AppError('CHECKOUT_HOLD_EXPIRED', 'conflict', `This checkout of cart ${cartId} waited too long and its stock hold ran out; the cart is open again: check out with a new Idempotency-Key`),

  from(failure: PlaceOrderFailure): AppError {
    switch (failure.code) {
      case 'CHECKOUT_CART_NOT_FOUND':
        return CheckoutErrors.cartNotFound(failure.cartId);
      case 'CHECKOUT_CART_EMPTY':
        return CheckoutErrors.cartEmpty(failure.cartId);
      case 'CHECKOUT_CART_ALREADY_CHECKED_OUT':
        return CheckoutErrors.cartAlreadyCheckedOut(failure.cartId);
      case 'CHECKOUT_ITEM_UNAVAILABLE':
        return CheckoutErrors.itemUnavailable(failure.variantId);
      case 'CHECKOUT_INSUFFICIENT_STOCK':
        return CheckoutErrors.insufficientStock(failure.variantId, failure.available);
      case 'CHECKOUT_HOLD_EXPIRED':
        return CheckoutErrors.holdExpired(failure.cartId);
    }
  },
};
