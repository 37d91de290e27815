import { AppError } from '../../platform/http/app-error.js';
import { CART_LIMITS } from './cart-limits.js';

/** Carts' error catalogue; codes are stable, messages say what to do next. */
export const CartsErrors = {
  notFound: (cartId: string) => new AppError('CARTS_NOT_FOUND', 'not_found', `Cart ${cartId} does not exist; create one with POST /v1/carts`),
  itemNotFound: (itemId: string) =>
    new AppError('CARTS_ITEM_NOT_FOUND', 'not_found', `Cart item ${itemId} is not in this cart; GET the cart to see its item ids`),
  checkedOut: () =>
    new AppError('CARTS_CHECKED_OUT', 'conflict', 'This cart was checked out and can no longer change; create a new cart with POST /v1/carts'),
  quantityLimit: () =>
    new AppError('CARTS_QUANTITY_LIMIT', 'unprocessable', `A cart holds at most ${CART_LIMITS.maxQuantity} units of one variant; lower the quantity`, {
      fields: [{ field: 'body.quantity', message: `at most ${CART_LIMITS.maxQuantity} units per variant in one cart` }],
    }),
  lineLimit: () =>
    new AppError('CARTS_LINE_LIMIT', 'unprocessable', `A cart holds at most ${CART_LIMITS.maxLines} different variants; remove one first`),
  variantUnavailable: (variantId: string) =>
    new AppError('CARTS_VARIANT_UNAVAILABLE', 'unprocessable', `Variant ${variantId} does not exist or is no longer sold; choose another variant`, {
      fields: [{ field: 'body.variantId', message: 'unknown or no longer sold' }],
    }),
  currencyMismatch: (cartCurrency: string, variantCurrency: string) =>
    new AppError(
      'CARTS_CURRENCY_MISMATCH',
      'unprocessable',
      `This cart is priced in ${cartCurrency} and the variant in ${variantCurrency}; use a separate cart for ${variantCurrency}`,
      { fields: [{ field: 'body.variantId', message: `priced in ${variantCurrency}, the cart in ${cartCurrency}` }] },
    ),
  /** Redis, which holds the carts' working copy, did not answer: nothing was changed */
  workingCopyUnavailable: () =>
    new AppError('CARTS_UNAVAILABLE', 'unavailable', 'Carts cannot be read or changed right now; nothing was changed, retry in a moment', { retryAfterSeconds: 2 }),
  openCartLimit: (maxOpen: number) =>
    new AppError('CARTS_OPEN_LIMIT_REACHED', 'conflict', `You already have ${maxOpen} open carts; add to one of them or check one out before creating another`),
  ownerUnsupported: () =>
    new AppError('CARTS_OWNER_UNSUPPORTED', 'forbidden', 'Carts belong to customer and guest accounts; sign in with POST /v1/auth/login or POST /v1/auth/guest'),
};

export type CartFailure =
  | { code: 'CART_NOT_FOUND' | 'CART_CHECKED_OUT' | 'ITEM_NOT_FOUND' | 'QUANTITY_LIMIT' | 'LINE_LIMIT' | 'VARIANT_UNAVAILABLE' | 'OWNER_UNSUPPORTED' }
  | { code: 'OPEN_CART_LIMIT'; maxOpen: number }
  | { code: 'CURRENCY_MISMATCH'; cartCurrency?: string; variantCurrency?: string };

/** Maps a use case's failure to the error the client sees; the one place carts' codes meet HTTP. */
export function cartsErrorFrom(failure: CartFailure, ids: { cartId?: string; itemId?: string; variantId?: string }): AppError {
  switch (failure.code) {
    case 'CART_NOT_FOUND':
      return CartsErrors.notFound(ids.cartId ?? '');
    case 'CART_CHECKED_OUT':
      return CartsErrors.checkedOut();
    case 'ITEM_NOT_FOUND':
      return CartsErrors.itemNotFound(ids.itemId ?? '');
    case 'QUANTITY_LIMIT':
      return CartsErrors.quantityLimit();
    case 'LINE_LIMIT':
      return CartsErrors.lineLimit();
    case 'VARIANT_UNAVAILABLE':
      return CartsErrors.variantUnavailable(ids.variantId ?? '');
    case 'OWNER_UNSUPPORTED':
      return CartsErrors.ownerUnsupported();
    case 'OPEN_CART_LIMIT':
      return CartsErrors.openCartLimit(failure.maxOpen);
    case 'CURRENCY_MISMATCH':
      return CartsErrors.currencyMismatch(failure.cartCurrency ?? 'another currency', failure.variantCurrency ?? 'this currency');
  }
}
