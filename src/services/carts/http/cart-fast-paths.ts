import { containsCardNumber } from '../../../platform/http/card-data-guard.js';
import { withFastPath, type Acceptor } from '../../../platform/http/fast-validation.js';
import { CART_LIMITS } from '../cart-limits.js';

type Loose = Record<string, unknown> | null | undefined;

/** lower-case RFC 4122 form with a version and variant: what z.uuid() accepts (it also takes upper case) */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** an id that `safeText().min(1).max(100)` accepts as it is: a uuid (no controls, 36 characters) that is no card number */
const plainId = (value: unknown): value is string => typeof value === 'string' && UUID.test(value) && !containsCardNumber(value);
const quantity = (value: unknown) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= CART_LIMITS.maxQuantity;
const exactKeys = (value: unknown, names: readonly string[]) => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === names.length && names.every((name) => keys.includes(name));
};

export const cartAcceptors = {
  cartParams: ((p) => exactKeys(p, ['id']) && plainId((p as Loose)?.id)) as Acceptor,
  itemParams: ((p) => exactKeys(p, ['id', 'itemId']) && plainId((p as Loose)?.id) && plainId((p as Loose)?.itemId)) as Acceptor,
  addItemBody: ((b) => exactKeys(b, ['variantId', 'quantity']) && typeof (b as Loose)?.variantId === 'string' && UUID.test((b as Loose)!.variantId as string) && quantity((b as Loose)?.quantity)) as Acceptor,
  setQuantityBody: ((b) => exactKeys(b, ['quantity']) && quantity((b as Loose)?.quantity)) as Acceptor,
};

/**
 * The cart routes' validator compilers with fast paths (fast-validation.ts): each acceptor answers true only for
 * input the route's zod schema (cart-routes.ts) accepts unchanged, which then skips the zod parse; anything else,
 * bad input included, is parsed by zod and gets the same 400 as before. cart-fast-paths.test.ts holds each
 * acceptor to its schema.
 */
export function cartRouteFastPaths() {
  return {
    read: withFastPath({ params: cartAcceptors.cartParams }),
    add: withFastPath({ params: cartAcceptors.cartParams, body: cartAcceptors.addItemBody }),
    setQuantity: withFastPath({ params: cartAcceptors.itemParams, body: cartAcceptors.setQuantityBody }),
    remove: withFastPath({ params: cartAcceptors.itemParams }),
  };
}
