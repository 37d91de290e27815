import { z } from 'zod';
import { CommonErrors } from '../../../platform/http/app-error.js';
import { requirePrincipal } from '../../../platform/http/auth-hook.js';
import type { HttpApp } from '../../../platform/service.js';
import type { makeAddCartItem } from '../add-cart-item.js';
import { CART_LIMITS } from '../cart-limits.js';
import type { makeChangeCartItemQuantity } from '../change-cart-item-quantity.js';
import type { makeCreateCart } from '../create-cart.js';
import { CartsErrors, cartsErrorFrom } from '../errors.js';
import { operation } from '../../../platform/http/api-operation.js';
import type { makeGetCart } from '../get-cart.js';
import type { makeRemoveCartItem } from '../remove-cart-item.js';
import { safeText } from '../../../platform/http/safe-text.js';
import { plainJsonSerializer } from '../../../platform/http/fast-validation.js';
import { replayLaneBody } from '../../../platform/http/fast-lane-writes.js';
import { cartAcceptors, cartRouteFastPaths } from './cart-fast-paths.js';

export interface CartRouteDeps {
  createCart: ReturnType<typeof makeCreateCart>;
  getCart: ReturnType<typeof makeGetCart>;
  addCartItem: ReturnType<typeof makeAddCartItem>;
  changeCartItemQuantity: ReturnType<typeof makeChangeCartItemQuantity>;
  removeCartItem: ReturnType<typeof makeRemoveCartItem>;
}

// ids are checked by the use cases: a malformed id is just another unknown cart (404), never a 400 hint
const cartId = safeText().min(1).max(100);
export const cartParams = z.strictObject({ id: cartId });
export const itemParams = z.strictObject({ id: cartId, itemId: cartId });
const quantity = z.number().int().min(1).max(CART_LIMITS.maxQuantity);
export const addItemBody = z.strictObject({ variantId: z.uuid(), quantity });
export const setQuantityBody = z.strictObject({ quantity });

// responses are not bounded like request money: a line total may exceed any single price
const money = z.object({ amount: z.number().int(), currency: z.string() });
export const cartResponse = z.object({
  id: z.string(),
  status: z.enum(['open', 'checked_out']),
  items: z.array(
    z.object({
      id: z.string(),
      variantId: z.string(),
      sku: z.string().nullable(),
      title: z.string().nullable(),
      productName: z.string().nullable(),
      quantity: z.number().int(),
      unitPrice: money,
      lineTotal: money,
      available: z.boolean(),
    }),
  ),
  subtotal: money,
}).meta({ id: 'Cart', description: 'A cart at current prices' });

// cart lines are the shopper's way to checkout: shed after browsing, limited per customer
const write = { auth: 'any', criticality: 'high', rateLimit: 'cart-write-per-customer' } as const;
// Cart answers are priceCart's CartView, built field by field: plain JSON.stringify instead of a zod parse of every
// answer (the type provider still holds the handlers to the schema). Adds and reads are a spike's busiest writes
// and reads, so well-formed input skips the zod parse too (cart-fast-paths.ts); anything else meets zod as before.
const fast = cartRouteFastPaths();

export function registerCartRoutes(app: HttpApp, deps: CartRouteDeps) {
  app.post(
    '/v1/carts',
    {
      config: { auth: 'any', criticality: 'high', rateLimit: 'cart-create-per-customer' },
      // Fastify validates a missing body as null, so a literal JSON `null` must be refused before validation
      preValidation: async (req) => {
        if (req.body === null) throw CommonErrors.validation([{ field: 'body', message: 'send a JSON object, or no body at all' }]);
      },
      schema: {
        ...operation('carts', {
          operationId: 'createCart',
          summary: 'Create an empty cart owned by the caller',
          description: 'A cart belongs to the customer or guest whose token created it; nobody else can read or change it. The optional `currency` fixes the cart\'s currency before its first line does. The number of open carts per caller is capped.',
          errors: [CartsErrors.openCartLimit(20), CartsErrors.ownerUnsupported()],
        }),
        // a body is optional; its only field chooses the currency before the first line does
        body: z.strictObject({ currency: safeText().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD').optional() }).nullish(),
        response: { 201: cartResponse },
      },
    },
    async (req, reply) => {
      const result = await deps.createCart({ ownerId: requirePrincipal(req).customerId, currency: req.body?.currency });
      if (!result.ok) throw cartsErrorFrom(result, {});
      return reply.code(201).send(result.cart);
    },
  );

  app.get(
    '/v1/carts/:id',
    {
      config: { auth: 'any', criticality: 'high' },
      validatorCompiler: fast.read,
      serializerCompiler: plainJsonSerializer,
      schema: {
        ...operation('carts', {
          operationId: 'getCart',
          summary: 'The cart at current prices',
          description: 'Lines are priced at the current catalog price, and `available` says whether each variant can still be bought. Another customer\'s cart, and a malformed id, are answered 404 like an unknown one.',
          errors: [CartsErrors.notFound('0193…'), CartsErrors.ownerUnsupported()],
        }),
        params: cartParams,
        response: { 200: cartResponse },
      },
    },
    async (req) => {
      const result = await deps.getCart({ cartId: req.params.id, ownerId: requirePrincipal(req).customerId });
      if (!result.ok) throw cartsErrorFrom(result, { cartId: req.params.id });
      return result.cart;
    },
  );

  // The busiest write of a spike: a plain add (a bearer token the process knows, a well-formed body, a limit counted
  // in memory) is answered by the HTTP fast lane, ahead of the framework's pipeline (fast-lane-writes.ts), with the
  // same use case, answers and headers; the route below answers everything else, bad input included.
  app.fastLane?.write('/v1/carts/', '/v1/carts/:id/items', [write.rateLimit], (url) => {
    // /v1/carts/<uuid>/items exactly: any other spelling is the router's to match or refuse
    const id = url.length === 52 && url.endsWith('/items') ? url.slice(10, 46) : undefined;
    if (id === undefined || !cartAcceptors.cartParams({ id })) return undefined;
    return (body, principal) => {
      if (!cartAcceptors.addItemBody(body)) return undefined;
      const { variantId, quantity } = body as { variantId: string; quantity: number };
      return async () => {
        const result = await deps.addCartItem({ cartId: id, ownerId: principal.customerId, variantId, quantity });
        return result.ok ? { status: 201, body: JSON.stringify(result.cart) } : { error: cartsErrorFrom(result, { cartId: id, variantId }) };
      };
    };
  });
  app.post(
    '/v1/carts/:id/items',
    {
      config: write,
      // a request the lane read and left to the route is parsed from the bytes the lane read
      preParsing: replayLaneBody,
      validatorCompiler: fast.add,
      serializerCompiler: plainJsonSerializer,
      schema: {
        ...operation('carts', {
          operationId: 'addCartItem',
          summary: 'Add units of a variant (adds to its line if present)',
          description: 'Adding a variant already in the cart adds to its line. A cart holds a bounded number of lines and units per variant, and one currency. Stock is not reserved until checkout.',
          errors: [CartsErrors.notFound('0193…'), CartsErrors.checkedOut(), CartsErrors.quantityLimit(), CartsErrors.lineLimit(), CartsErrors.variantUnavailable('0193…'), CartsErrors.currencyMismatch('EUR', 'USD'), CartsErrors.ownerUnsupported()],
        }),
        params: cartParams,
        body: addItemBody.meta({ examples: [{ variantId: '0193a0c2-7c1a-7d2e-9f00-3a5c2b8e4d10', quantity: 2 }] }),
        response: { 201: cartResponse },
      },
    },
    async (req, reply) => {
      const result = await deps.addCartItem({ cartId: req.params.id, ownerId: requirePrincipal(req).customerId, ...req.body });
      if (!result.ok) throw cartsErrorFrom(result, { cartId: req.params.id, variantId: req.body.variantId });
      return reply.code(201).send(result.cart);
    },
  );

  app.patch(
    '/v1/carts/:id/items/:itemId',
    {
      config: write,
      validatorCompiler: fast.setQuantity,
      serializerCompiler: plainJsonSerializer,
      schema: {
        ...operation('carts', {
          operationId: 'updateCartItem',
          summary: 'Set the quantity of a line',
          description: 'Sets the line to exactly `quantity` units (not an increment); remove a line with DELETE.',
          errors: [CartsErrors.notFound('0193…'), CartsErrors.itemNotFound('0193…'), CartsErrors.checkedOut(), CartsErrors.quantityLimit(), CartsErrors.ownerUnsupported()],
        }),
        params: itemParams,
        body: setQuantityBody,
        response: { 200: cartResponse },
      },
    },
    async (req) => {
      const { id: cartId, itemId } = req.params;
      const result = await deps.changeCartItemQuantity({ cartId, itemId, ownerId: requirePrincipal(req).customerId, quantity: req.body.quantity });
      if (!result.ok) throw cartsErrorFrom(result, { cartId, itemId });
      return result.cart;
    },
  );

  app.delete(
    '/v1/carts/:id/items/:itemId',
    {
      config: write,
      validatorCompiler: fast.remove,
      serializerCompiler: plainJsonSerializer,
      schema: {
        ...operation('carts', {
          operationId: 'removeCartItem',
          summary: 'Remove a line',
          description: 'Answers the cart without the line.',
          errors: [CartsErrors.notFound('0193…'), CartsErrors.itemNotFound('0193…'), CartsErrors.checkedOut(), CartsErrors.ownerUnsupported()],
        }),
        params: itemParams,
        response: { 200: cartResponse },
      },
    },
    async (req) => {
      const { id: cartId, itemId } = req.params;
      const result = await deps.removeCartItem({ cartId, itemId, ownerId: requirePrincipal(req).customerId });
      if (!result.ok) throw cartsErrorFrom(result, { cartId, itemId });
      return result.cart;
    },
  );
}
