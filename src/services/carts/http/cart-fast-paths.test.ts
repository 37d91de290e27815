import fc from 'fast-check';
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { cartAcceptors } from './cart-fast-paths.js';
import { addItemBody, cartParams, itemParams, setQuantityBody } from './cart-routes.js';

/** strings near the accepted shape: uuids of every version and case, digit-only uuids (card-like), bits of them */
const idLike = fc.oneof(
  fc.uuid({ version: [1, 4, 7] }),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.stringMatching(/^[0-9]{8}-[0-9]{4}-[1-8][0-9]{3}-[89][0-9]{3}-[0-9]{12}$/),
  // any hex in the version and variant places: zod refuses versions 0 and 9–f and variants outside 8–b
  fc.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  fc.constant('4111-1111-1111-1111'),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', 'nope', '00000000-0000-0000-0000-000000000000'),
);
// the limits' edges are drawn often: a fast path one unit too generous must be caught
const quantityLike = fc.oneof(fc.constantFrom(0, 1, 99, 100, -1), fc.integer({ min: -5, max: 120 }), fc.double(), fc.constantFrom('3', null, 1.5, Number.NaN));
const extra = fc.oneof(fc.constant({}), fc.dictionary(fc.constantFrom('price', 'id', '__proto__', 'variantId', 'quantity'), fc.anything(), { maxKeys: 2 }));

const cases = [
  { name: 'cart params', accept: cartAcceptors.cartParams, schema: cartParams, values: fc.tuple(idLike, extra).map(([id, more]) => ({ id, ...more })), valid: { id: uuidv7() } },
  { name: 'item params', accept: cartAcceptors.itemParams, schema: itemParams, values: fc.tuple(idLike, idLike, extra).map(([id, itemId, more]) => ({ id, itemId, ...more })), valid: { id: uuidv7(), itemId: uuidv7() } },
  { name: 'add body', accept: cartAcceptors.addItemBody, schema: addItemBody, values: fc.tuple(idLike, quantityLike, extra).map(([variantId, quantity, more]) => ({ variantId, quantity, ...more })), valid: { variantId: uuidv7(), quantity: 2 } },
  { name: 'quantity body', accept: cartAcceptors.setQuantityBody, schema: setQuantityBody, values: fc.tuple(quantityLike, extra).map(([quantity, more]) => ({ quantity, ...more })), valid: { quantity: 99 } },
];

describe('cart routes: validation fast paths', () => {
  for (const { name, accept, schema, values, valid } of cases) {
    it(`when the ${name} fast path accepts a value, then the route's zod schema accepts it unchanged (and a plain valid one takes the fast path)`, () => {
      expect(accept(valid)).toBe(true);
      fc.assert(
        fc.property(fc.oneof(values, fc.anything()), (value) => {
          if (!accept(value)) return;
          const parsed = schema.safeParse(value);
          expect(parsed.success).toBe(true);
          expect(parsed.data).toEqual(value);
        }),
        { numRuns: 3_000, seed: 20261201 },
      );
    });
  }
});
