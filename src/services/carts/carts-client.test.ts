import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessEventBus } from '../../platform/bus/in-process-event-bus.js';
import { type Database } from '../../platform/db/database.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import type { CatalogClient, VariantSnapshot } from '../catalog/contract/catalog-client.js';
import type { CartsClient } from './contract/carts-client.js';
import { cartsMigrations, createCartsService } from './index.js';
import { createSqlCartStore } from './storage/sql-cart-store.js';
import type { CartStore } from './storage/cart-store.js';
import { createTestEnvelope } from '../../../test/support/envelope.js';
import { createMigratedPglite } from '../../../test/support/databases.js';

describe('carts client', () => {
  let db: Database;
  let client: CartsClient;
  let store: CartStore;
  const variants = new Map<string, VariantSnapshot>();
  const getVariants = async (ids: readonly string[]) => ids.flatMap((id) => variants.get(id) ?? []);
  // a catalog with no cache of its own: its cached snapshots are always current
  const catalog: CatalogClient = { getVariants, getVariantsCached: getVariants };
  const variant = (amount: number, purchasable = true) => {
    const id = uuidv7();
    const v: VariantSnapshot = { id, productId: uuidv7(), sku: `SKU-${id.slice(-4)}`, title: 'Blue', productName: 'Mug', price: { amount, currency: 'USD' }, purchasable };
    variants.set(id, v);
    return v;
  };

  beforeAll(async () => {
    db = await createMigratedPglite([cartsMigrations]);
    client = createCartsService({ db, bus: createInProcessEventBus(), logger: pino({ level: 'silent' }), metrics: createMetrics('test'), envelope: createTestEnvelope(), catalog }).client;
    // a second handle on the same tables builds carts the way the routes would
    store = createSqlCartStore(db);
  });
  afterAll(() => db.close());

  const cartWith = async (...lines: Array<[VariantSnapshot, number]>) => {
    const ownerId = uuidv7();
    const { id: cartId } = await store.create({ id: uuidv7(), ownerId, currency: null });
    for (const [v, quantity] of lines) await store.addItem({ cartId, ownerId, itemId: uuidv7(), variantId: v.id, quantity, currency: v.price.currency });
    return { cartId, ownerId };
  };

  it('when the owner checks out a cart, then every line is priced now with sku and title, and the subtotal adds up', async () => {
    const [mug, tee] = [variant(500), variant(1200)];
    const { cartId, ownerId } = await cartWith([mug, 2], [tee, 1]);
    variants.set(tee.id, { ...tee, price: { amount: 1100, currency: 'USD' } });
    const result = await client.getForCheckout(cartId, ownerId);
    expect(result).toEqual({
      ok: true,
      cart: {
        id: cartId,
        ownerId,
        items: [
          expect.objectContaining({ variantId: mug.id, sku: mug.sku, title: 'Mug — Blue', quantity: 2, unitPrice: { amount: 500, currency: 'USD' }, lineTotal: { amount: 1000, currency: 'USD' } }),
          expect.objectContaining({ variantId: tee.id, quantity: 1, unitPrice: { amount: 1100, currency: 'USD' }, lineTotal: { amount: 1100, currency: 'USD' } }),
        ],
        subtotal: { amount: 2100, currency: 'USD' },
      },
    });
  });

  it('when the cart is another owner’s, unknown, empty or holds an archived variant, then checkout is refused with the reason', async () => {
    const archived = variant(100);
    const { cartId, ownerId } = await cartWith([variant(100), 1], [archived, 1]);
    variants.set(archived.id, { ...archived, purchasable: false });
    expect(await client.getForCheckout(cartId, uuidv7())).toEqual({ ok: false, code: 'CART_NOT_FOUND' });
    expect(await client.getForCheckout(uuidv7(), ownerId)).toEqual({ ok: false, code: 'CART_NOT_FOUND' });
    expect(await client.getForCheckout('junk', ownerId)).toEqual({ ok: false, code: 'CART_NOT_FOUND' });
    expect(await client.getForCheckout(cartId, ownerId)).toEqual({ ok: false, code: 'CART_ITEM_UNAVAILABLE', variantId: archived.id });
    const empty = await cartWith();
    expect(await client.getForCheckout(empty.cartId, empty.ownerId)).toEqual({ ok: false, code: 'CART_EMPTY' });
  });

  it('when a variant disappears from the catalog, then checkout names it as unavailable', async () => {
    const gone = variant(100);
    const { cartId, ownerId } = await cartWith([gone, 1]);
    variants.delete(gone.id);
    expect(await client.getForCheckout(cartId, ownerId)).toEqual({ ok: false, code: 'CART_ITEM_UNAVAILABLE', variantId: gone.id });
  });

  it('when an order claims the cart, then it cannot be checked out again until that order reopens it', async () => {
    const { cartId, ownerId } = await cartWith([variant(100), 1]);
    const [orderId, other] = [uuidv7(), uuidv7()];
    expect(await client.markCheckedOut(cartId, orderId)).toEqual({ ok: true });
    expect(await client.markCheckedOut(cartId, orderId)).toEqual({ ok: true });
    expect(await client.markCheckedOut(cartId, other)).toEqual({ ok: false, code: 'CART_ALREADY_CHECKED_OUT' });
    expect(await client.getForCheckout(cartId, ownerId)).toEqual({ ok: false, code: 'CART_ALREADY_CHECKED_OUT', orderId });
    await client.reopen(cartId, other);
    expect(await client.getForCheckout(cartId, ownerId)).toMatchObject({ ok: false });
    await client.reopen(cartId, orderId);
    expect(await client.getForCheckout(cartId, ownerId)).toMatchObject({ ok: true });
  });

  it('when the order that checked the cart out asks for it again, then it gets the cart priced as before; any other order, or none, is refused', async () => {
    const mug = variant(500);
    const { cartId, ownerId } = await cartWith([mug, 2]);
    const [orderId, other] = [uuidv7(), uuidv7()];
    const before = await client.getForCheckout(cartId, ownerId, { orderId });
    expect(before).toMatchObject({ ok: true });
    expect(await client.markCheckedOut(cartId, orderId)).toEqual({ ok: true });

    expect(await client.getForCheckout(cartId, ownerId, { orderId })).toEqual(before);
    expect(await client.getForCheckout(cartId, ownerId, { orderId: other })).toEqual({ ok: false, code: 'CART_ALREADY_CHECKED_OUT', orderId });
    expect(await client.getForCheckout(cartId, ownerId)).toEqual({ ok: false, code: 'CART_ALREADY_CHECKED_OUT', orderId });
    expect(await client.getForCheckout(cartId, ownerId, {})).toEqual({ ok: false, code: 'CART_ALREADY_CHECKED_OUT', orderId });
    // the order id does not open someone else's cart
    expect(await client.getForCheckout(cartId, uuidv7(), { orderId })).toEqual({ ok: false, code: 'CART_NOT_FOUND' });
    // once the order gives the cart back, it is an ordinary open cart for any checkout
    await client.reopen(cartId, orderId);
    expect(await client.getForCheckout(cartId, ownerId, { orderId: other })).toEqual(before);
  });

  it('when 20 orders race to claim one cart, then exactly one wins', async () => {
    const { cartId } = await cartWith([variant(100), 1]);
    const results = await Promise.all(Array.from({ length: 20 }, () => client.markCheckedOut(cartId, uuidv7())));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});
