import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Authenticate, Principal } from '../../../platform/auth/principal.js';
import { createInProcessEventBus } from '../../../platform/bus/in-process-event-bus.js';
import { type Database } from '../../../platform/db/database.js';
import { createHttpApp } from '../../../platform/http/create-http-app.js';
import type { HttpApp, ServiceModule } from '../../../platform/service.js';
import { createMetrics } from '../../../platform/telemetry/metrics.js';
import type { CatalogClient, VariantSnapshot } from '../../catalog/contract/catalog-client.js';
import type { CartsClient } from '../contract/carts-client.js';
import { cartsMigrations, createCartsService } from '../index.js';
import { createTestEnvelope } from '../../../../test/support/envelope.js';
import { createMigratedPglite } from '../../../../test/support/databases.js';

const principals: Record<string, Principal> = {
  alice: { customerId: uuidv7(), role: 'customer', via: 'token' },
  bob: { customerId: uuidv7(), role: 'customer', via: 'token' },
  guest: { customerId: uuidv7(), role: 'guest', via: 'token' },
  admin: { customerId: uuidv7(), role: 'admin', via: 'token' },
};
const authenticate: Authenticate = async ({ bearer }) => (bearer ? (principals[bearer] ?? null) : null);
const as = (who: string) => ({ authorization: `Bearer ${who}` });

const variant = (price: number, currency = 'USD', purchasable = true): VariantSnapshot => {
  const id = uuidv7();
  return { id, productId: uuidv7(), sku: `SKU-${id.slice(-6)}`, title: 'Large', productName: 'Tee', price: { amount: price, currency }, purchasable };
};

describe('cart routes', () => {
  let db: Database;
  let app: HttpApp;
  let carts: ServiceModule<CartsClient>;
  const catalogVariants = new Map<string, VariantSnapshot>();
  let catalogCalls = 0;
  const getVariants = async (ids: readonly string[]) => {
    catalogCalls++;
    return ids.flatMap((id) => catalogVariants.get(id) ?? []);
  };
  // a catalog with no cache of its own: its cached snapshots are always current
  const catalog: CatalogClient = { getVariants, getVariantsCached: getVariants };
  const stocked = (v: VariantSnapshot) => (catalogVariants.set(v.id, v), v);

  beforeAll(async () => {
    db = await createMigratedPglite([cartsMigrations]);
    const logger = pino({ level: 'silent' });
    const metrics = createMetrics('test');
    carts = createCartsService({ db, bus: createInProcessEventBus(), logger, metrics, envelope: createTestEnvelope(), catalog });
    app = await createHttpApp({ logger, metrics, authenticate, modules: [carts], readinessChecks: {} });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });
  beforeEach(() => {
    catalogCalls = 0;
  });

  const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, who: string | null, payload?: unknown) =>
    app.inject({ method, url, headers: who ? as(who) : {}, ...(payload === undefined ? {} : { payload: payload as object }) });
  const newCart = async (who = 'alice') => (await send('POST', '/v1/carts', who, {})).json().id as string;
  const addItem = (cartId: string, body: unknown, who = 'alice') => send('POST', `/v1/carts/${cartId}/items`, who, body);
  const getCart = (cartId: string, who = 'alice') => send('GET', `/v1/carts/${cartId}`, who);

  it('when a customer or guest creates a cart, then 201 with an empty cart; anonymous callers get 401', async () => {
    for (const who of ['alice', 'guest']) {
      const created = await send('POST', '/v1/carts', who);
      expect(created.statusCode).toBe(201);
      expect(created.json()).toEqual({ id: expect.any(String), status: 'open', items: [], subtotal: { amount: 0, currency: 'USD' } });
    }
    expect((await send('POST', '/v1/carts', null, {})).statusCode).toBe(401);
  });

  it('when a cart is created with a currency, then an empty cart reports it; a bad currency or a JSON null body is 400', async () => {
    const created = await send('POST', '/v1/carts', 'alice', { currency: 'EUR' });
    expect(created.json().subtotal).toEqual({ amount: 0, currency: 'EUR' });
    for (const payload of [{ currency: 'eur' }, { currency: 'EURO' }, [], 42]) {
      expect((await send('POST', '/v1/carts', 'alice', payload)).statusCode).toBe(400);
    }
    const literalNull = await app.inject({ method: 'POST', url: '/v1/carts', headers: { ...as('alice'), 'content-type': 'application/json' }, payload: 'null' });
    expect(literalNull.statusCode).toBe(400);
    expect(literalNull.json().errors).toEqual([expect.objectContaining({ field: 'body' })]);
  });

  it('when a variant id is sent in upper case, then it names the same variant: one line, in the catalog\'s spelling', async () => {
    const tee = stocked(variant(1250));
    const cartId = await newCart();
    const upper = await addItem(cartId, { variantId: tee.id.toUpperCase(), quantity: 1 });
    expect(upper.statusCode).toBe(201);
    expect((await addItem(cartId, { variantId: tee.id, quantity: 2 })).json().items).toEqual([expect.objectContaining({ variantId: tee.id, quantity: 3 })]);
  });

  it('when lines are added, then each is priced at the catalog price and the subtotal adds up; without a variant cache, one catalog call for the new line and one for the others', async () => {
    const [tee, mug] = [stocked(variant(1250)), stocked(variant(399))];
    const cartId = await newCart();
    expect((await addItem(cartId, { variantId: tee.id, quantity: 2 })).statusCode).toBe(201);
    catalogCalls = 0;
    const response = await addItem(cartId, { variantId: mug.id, quantity: 3 });
    expect(response.statusCode).toBe(201);
    expect(catalogCalls).toBe(2);
    // answers are serialised as built (no zod pass that would drop a stray field): exactly the schema's fields
    expect(Object.keys(response.json()).sort()).toEqual(['id', 'items', 'status', 'subtotal']);
    expect(Object.keys(response.json().items[0]).sort()).toEqual(['available', 'id', 'lineTotal', 'productName', 'quantity', 'sku', 'title', 'unitPrice', 'variantId']);
    expect(response.json()).toMatchObject({
      id: cartId,
      items: [
        { variantId: tee.id, quantity: 2, sku: tee.sku, unitPrice: { amount: 1250, currency: 'USD' }, lineTotal: { amount: 2500, currency: 'USD' } },
        { variantId: mug.id, quantity: 3, unitPrice: { amount: 399, currency: 'USD' }, lineTotal: { amount: 1197, currency: 'USD' } },
      ],
      subtotal: { amount: 3697, currency: 'USD' },
    });
    catalogCalls = 0;
    expect((await getCart(cartId)).json().subtotal).toEqual({ amount: 3697, currency: 'USD' });
    expect(catalogCalls).toBe(1);
    // a cart of one variant, added again: the new line's call priced everything
    const single = await newCart();
    await addItem(single, { variantId: tee.id, quantity: 1 });
    catalogCalls = 0;
    expect((await addItem(single, { variantId: tee.id, quantity: 1 })).json().subtotal).toEqual({ amount: 2500, currency: 'USD' });
    expect(catalogCalls).toBe(1);
  });

  it('when a refused add names two faults, then the cart comes first: an unknown or checked-out cart before an unavailable variant, and a currency mismatch names the cart currency', async () => {
    const euro = stocked(variant(100, 'EUR'));
    const unknownVariant = uuidv7();
    expect((await addItem(uuidv7(), { variantId: unknownVariant, quantity: 1 })).json()).toMatchObject({ code: 'CARTS_NOT_FOUND' });
    expect((await addItem(await newCart('bob'), { variantId: unknownVariant, quantity: 1 })).json()).toMatchObject({ code: 'CARTS_NOT_FOUND' });
    const cartId = await newCart();
    await addItem(cartId, { variantId: stocked(variant(100)).id, quantity: 1 });
    const mismatch = await addItem(cartId, { variantId: euro.id, quantity: 1 });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().detail).toContain('USD');
    expect(await carts.client.markCheckedOut(cartId, uuidv7())).toEqual({ ok: true });
    expect((await addItem(cartId, { variantId: unknownVariant, quantity: 1 })).json()).toMatchObject({ code: 'CARTS_CHECKED_OUT' });
    expect((await addItem(cartId, { variantId: euro.id, quantity: 1 })).json()).toMatchObject({ code: 'CARTS_CHECKED_OUT' });
  });

  it('when the catalog price changes or a variant is archived, then the cart shows current prices and leaves the archived line out of the subtotal', async () => {
    const [tee, mug] = [stocked(variant(1000)), stocked(variant(500))];
    const cartId = await newCart();
    await addItem(cartId, { variantId: tee.id, quantity: 1 });
    await addItem(cartId, { variantId: mug.id, quantity: 2 });
    stocked({ ...tee, price: { amount: 800, currency: 'USD' } });
    stocked({ ...mug, purchasable: false });
    const cart = (await getCart(cartId)).json();
    expect(cart.items.map((i: { available: boolean }) => i.available)).toEqual([true, false]);
    expect(cart.subtotal).toEqual({ amount: 800, currency: 'USD' });
  });

  it('when the same variant is added again, then its line grows, and past 99 units the add is refused with 422', async () => {
    const tee = stocked(variant(100));
    const cartId = await newCart();
    await addItem(cartId, { variantId: tee.id, quantity: 60 });
    const grown = await addItem(cartId, { variantId: tee.id, quantity: 39 });
    expect(grown.json().items).toEqual([expect.objectContaining({ variantId: tee.id, quantity: 99 })]);
    const refused = await addItem(cartId, { variantId: tee.id, quantity: 1 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'CARTS_QUANTITY_LIMIT' });
    expect((await getCart(cartId)).json().items[0].quantity).toBe(99);
  });

  it.each([
    ['zero', { quantity: 0 }],
    ['a negative number', { quantity: -1 }],
    ['a huge number', { quantity: 1e9 }],
    ['a string', { quantity: '2' }],
    ['a fraction', { quantity: 2.5 }],
    ['nothing', {}],
  ])('when the quantity is %s, then 400 naming body.quantity and nothing is written', async (_label, body) => {
    const tee = stocked(variant(100));
    const cartId = await newCart();
    const response = await addItem(cartId, { variantId: tee.id, ...body });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.quantity' })]));
    expect((await getCart(cartId)).json().items).toEqual([]);
  });

  it('when the variant is unknown, archived, malformed or in another currency, then 4xx naming body.variantId and nothing is written', async () => {
    const archived = stocked(variant(100, 'USD', false));
    const euro = stocked(variant(100, 'EUR'));
    const cartId = await newCart();
    await addItem(cartId, { variantId: stocked(variant(100)).id, quantity: 1 });
    for (const [variantId, status, code] of [
      [uuidv7(), 422, 'CARTS_VARIANT_UNAVAILABLE'],
      [archived.id, 422, 'CARTS_VARIANT_UNAVAILABLE'],
      [euro.id, 422, 'CARTS_CURRENCY_MISMATCH'],
      ['not-a-uuid', 400, 'VALIDATION_FAILED'],
    ] as const) {
      const response = await addItem(cartId, { variantId, quantity: 1 });
      expect(response.statusCode).toBe(status);
      expect(response.json()).toMatchObject({ code, errors: [expect.objectContaining({ field: 'body.variantId' })] });
    }
    expect((await getCart(cartId)).json().items).toHaveLength(1);
  });

  it('when the body has unknown fields, then 400 and nothing is written', async () => {
    const cartId = await newCart();
    const response = await addItem(cartId, { variantId: stocked(variant(1)).id, quantity: 1, price: 0 });
    expect(response.statusCode).toBe(400);
    expect((await getCart(cartId)).json().items).toEqual([]);
    expect((await send('POST', '/v1/carts', 'alice', { ownerId: uuidv7() })).statusCode).toBe(400);
  });

  it('when another principal (even an admin) uses the cart, then 404 CARTS_NOT_FOUND and nothing is written', async () => {
    const tee = stocked(variant(100));
    const cartId = await newCart('alice');
    const itemId = (await addItem(cartId, { variantId: tee.id, quantity: 1 })).json().items[0].id as string;
    for (const who of ['bob', 'guest', 'admin']) {
      for (const response of [
        await getCart(cartId, who),
        await addItem(cartId, { variantId: tee.id, quantity: 5 }, who),
        await send('PATCH', `/v1/carts/${cartId}/items/${itemId}`, who, { quantity: 9 }),
        await send('DELETE', `/v1/carts/${cartId}/items/${itemId}`, who),
      ]) {
        expect(response.statusCode).toBe(404);
        expect(response.json()).toMatchObject({ code: 'CARTS_NOT_FOUND' });
      }
    }
    expect((await getCart(cartId)).json().items).toEqual([expect.objectContaining({ id: itemId, quantity: 1 })]);
  });

  it('when the cart id is unknown or malformed, then 404 CARTS_NOT_FOUND', async () => {
    for (const id of [uuidv7(), 'nope', '1; drop table carts.carts']) {
      const response = await getCart(encodeURIComponent(id));
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'CARTS_NOT_FOUND' });
    }
  });

  it('when a line quantity is changed or the line removed, then the cart is answered with new totals', async () => {
    const [tee, mug] = [stocked(variant(250)), stocked(variant(100))];
    const cartId = await newCart();
    await addItem(cartId, { variantId: tee.id, quantity: 1 });
    const itemId = (await addItem(cartId, { variantId: mug.id, quantity: 1 })).json().items[1].id as string;
    const changed = await send('PATCH', `/v1/carts/${cartId}/items/${itemId}`, 'alice', { quantity: 4 });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().subtotal).toEqual({ amount: 650, currency: 'USD' });
    for (const quantity of [0, 100, '3', 1.5]) {
      expect((await send('PATCH', `/v1/carts/${cartId}/items/${itemId}`, 'alice', { quantity })).statusCode).toBe(400);
    }
    expect((await send('PATCH', `/v1/carts/${cartId}/items/${uuidv7()}`, 'alice', { quantity: 2 })).json()).toMatchObject({ code: 'CARTS_ITEM_NOT_FOUND' });
    const removed = await send('DELETE', `/v1/carts/${cartId}/items/${itemId}`, 'alice');
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ items: [{ variantId: tee.id }], subtotal: { amount: 250, currency: 'USD' } });
    expect((await send('DELETE', `/v1/carts/${cartId}/items/${itemId}`, 'alice')).statusCode).toBe(404);
  });

  it('when a cart holds 50 lines, then a 51st variant is refused with 422 CARTS_LINE_LIMIT', async () => {
    const cartId = await newCart();
    for (let i = 0; i < 50; i++) expect((await addItem(cartId, { variantId: stocked(variant(1)).id, quantity: 1 })).statusCode).toBe(201);
    const refused = await addItem(cartId, { variantId: stocked(variant(1)).id, quantity: 1 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'CARTS_LINE_LIMIT' });
  });

  it('when a cart was checked out, then it still reads but every change is 409 CARTS_CHECKED_OUT', async () => {
    const tee = stocked(variant(100));
    const cartId = await newCart();
    const itemId = (await addItem(cartId, { variantId: tee.id, quantity: 1 })).json().items[0].id as string;
    expect(await carts.client.markCheckedOut(cartId, uuidv7())).toEqual({ ok: true });
    for (const response of [
      await addItem(cartId, { variantId: tee.id, quantity: 1 }),
      await send('PATCH', `/v1/carts/${cartId}/items/${itemId}`, 'alice', { quantity: 2 }),
      await send('DELETE', `/v1/carts/${cartId}/items/${itemId}`, 'alice'),
    ]) {
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ code: 'CARTS_CHECKED_OUT' });
    }
    expect((await getCart(cartId)).json()).toMatchObject({ status: 'checked_out', items: [{ id: itemId, quantity: 1 }] });
  });
});
