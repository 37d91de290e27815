import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminProduct, ProductList, PublicProduct } from '../contract/catalog-api.js';
import { ADMIN, CUSTOMER, createCatalogTestApp, type CatalogTestApp } from './catalog-app.test-support.js';

describe('admin catalog routes', () => {
  let t: CatalogTestApp;
  beforeAll(async () => {
    t = await createCatalogTestApp();
  });
  afterAll(() => t?.close());

  const send = (method: 'POST' | 'PATCH', url: string, payload?: Record<string, unknown>, headers: Record<string, string> = ADMIN) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const variant = (sku: string, amount = 1500, currency = 'USD') => ({ sku, title: sku, price: { amount, currency } });
  const fieldsOf = (body: string) => (JSON.parse(body) as { errors?: Array<{ field: string }> }).errors?.map((e) => e.field);

  it('when no token or a customer token is sent, then admin routes answer 401 and 403 and write nothing', async () => {
    const category = await t.createCategory();
    const product = await t.createProduct(category.id);
    const attempts = [
      ['POST', '/v1/admin/categories', { slug: 'sneaky', name: 'Sneaky' }],
      ['POST', '/v1/admin/products', { name: 'Sneaky', categoryId: category.id, variants: [variant('SNEAKY-1')] }],
      ['PATCH', `/v1/admin/products/${product.id}`, { name: 'Hacked' }],
      ['POST', `/v1/admin/products/${product.id}/archive`, undefined],
    ] as const;
    for (const [method, url, body] of attempts) {
      const anonymous = await send(method, url, body, {});
      expect(anonymous.statusCode, url).toBe(401);
      expect(anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
      const customer = await send(method, url, body, CUSTOMER);
      expect(customer.statusCode, url).toBe(403);
      expect((await send(method, url, body, { authorization: 'Bearer forged' })).statusCode, url).toBe(401);
    }
    const after = await t.app.inject({ method: 'GET', url: `/v1/products/${product.id}` });
    expect((after.json() as PublicProduct).name).toBe(product.name);
    expect((await t.app.inject({ method: 'GET', url: '/v1/products/sneaky' })).statusCode).toBe(404);
  });

  it('when a slug, a SKU and a name carry an EAN-13 barcode that happens to pass Luhn, then the product is created and found by its slug; a card number in a name is refused', async () => {
    // 4006381333932 is a 13-digit Luhn-valid number, but no card brand issues it: it is no card data anywhere
    const ean = '4006381333932';
    const category = await t.createCategory();
    const created = await send('POST', '/v1/admin/products', { slug: `lamp-${ean}`, name: 'Barcode Lamp', categoryId: category.id, variants: [{ ...variant(ean), title: 'Standard' }] });
    expect(created.statusCode, created.body).toBe(201);
    const read = await t.app.inject({ method: 'GET', url: `/v1/products/lamp-${ean}` });
    expect(read.statusCode).toBe(200);
    expect((read.json() as PublicProduct).variants[0]?.sku).toBe(ean);
    const asName = await send('POST', '/v1/admin/products', { name: `Lamp ${ean}`, categoryId: category.id, variants: [variant('LAMP-2')] });
    expect(asName.statusCode, asName.body).toBe(201);
    const cardAsName = await send('POST', '/v1/admin/products', { name: 'Lamp 4111 1111 1111 1111', categoryId: category.id, variants: [variant('LAMP-3')] });
    expect(cardAsName.statusCode).toBe(400);
    expect(fieldsOf(cardAsName.body)).toEqual(['body.name']);
  });

  it('when a category slug is reused, then 409 CATALOG_CATEGORY_SLUG_TAKEN', async () => {
    const category = await t.createCategory();
    const res = await send('POST', '/v1/admin/categories', { slug: category.slug, name: 'Again' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CATALOG_CATEGORY_SLUG_TAKEN' });
  });

  it('when a product is created without a slug, then one is derived from the name, and a second of that name gets its own', async () => {
    const category = await t.createCategory();
    const name = `Merino Hoodie ${category.slug}`;
    const first = await t.createProduct(category.id, { name });
    const second = await t.createProduct(category.id, { name });
    expect(first.slug).toBe(`merino-hoodie-${category.slug}`);
    expect(second.slug).toMatch(new RegExp(`^merino-hoodie-${category.slug}-[0-9a-f]{6}$`));
    expect(first).toMatchObject({ status: 'active', categoryId: category.id, variants: [{ available: 0, status: 'active' }] });
    const page = await t.app.inject({ method: 'GET', url: `/v1/products/${first.slug}` });
    expect(page.statusCode).toBe(200);
  });

  it('when a slug or sku is already taken, then 409 names which', async () => {
    const category = await t.createCategory();
    const existing = await t.createProduct(category.id, { slug: `taken-${category.slug}` });
    const slugClash = await send('POST', '/v1/admin/products', { slug: existing.slug, name: 'X', categoryId: category.id, variants: [variant(`NEW-${category.slug}`)] });
    expect(slugClash.statusCode).toBe(409);
    expect(slugClash.json()).toMatchObject({ code: 'CATALOG_PRODUCT_SLUG_TAKEN' });
    const sku = existing.variants[0]!.sku;
    const skuClash = await send('POST', '/v1/admin/products', { name: 'Y', categoryId: category.id, variants: [variant(`OK-${category.slug}`), variant(sku)] });
    expect(skuClash.statusCode).toBe(409);
    expect(skuClash.json()).toMatchObject({ code: 'CATALOG_SKU_TAKEN' });
    expect((skuClash.json() as { detail: string }).detail).toContain(sku);
    // the refused product left nothing behind: its other sku is still free
    await t.createProduct(category.id, { variants: [variant(`OK-${category.slug}`)] });
  });

  it('when the body is malformed, then 400 names the fields', async () => {
    const category = await t.createCategory();
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ name: 'A', categoryId: category.id, variants: [] }, ['body.variants']],
      [{ name: 'A', categoryId: category.id, variants: Array.from({ length: 51 }, (_, i) => variant(`MANY-${i}`)) }, ['body.variants']],
      [{ name: 'A', categoryId: category.id, variants: [variant('DUP-1'), variant('DUP-1')] }, ['body.variants.1.sku']],
      [{ name: 'A', categoryId: 'nope', variants: [variant('BAD-1')] }, ['body.categoryId']],
      [{ name: 'A', categoryId: category.id, variants: [variant('BAD-2', 1.5)] }, ['body.variants.0.price.amount']],
      [{ name: 'A', categoryId: category.id, variants: [variant('BAD-3')], price: 5 }, ['body.price']],
      [{ name: 'A', slug: 'Not A Slug', categoryId: category.id, variants: [variant('BAD-4')] }, ['body.slug']],
      [{ name: 'A', slug: '0190f0f0-0000-7000-8000-000000000001', categoryId: category.id, variants: [variant('BAD-5')] }, ['body.slug']],
    ];
    for (const [body, fields] of cases) {
      const res = await send('POST', '/v1/admin/products', body);
      expect(res.statusCode, JSON.stringify(fields)).toBe(400);
      expect(fieldsOf(res.body)).toEqual(fields);
    }
    const mixed = await send('POST', '/v1/admin/products', { name: 'A', categoryId: category.id, variants: [variant('MIX-1'), variant('MIX-2', 100, 'EUR')] });
    expect(mixed.statusCode).toBe(422);
    expect(mixed.json()).toMatchObject({ code: 'CATALOG_CURRENCY_MISMATCH' });
    const unknownCategory = await send('POST', '/v1/admin/products', { name: 'A', categoryId: '0190f0f0-0000-7000-8000-00000000dead', variants: [variant('UC-1')] });
    expect(unknownCategory.statusCode).toBe(422);
    expect(unknownCategory.json()).toMatchObject({ code: 'CATALOG_CATEGORY_NOT_FOUND' });
  });

  it('when a price is patched, then shoppers see it at once and the price filter follows', async () => {
    const category = await t.createCategory();
    const product = await t.createProduct(category.id, { variants: [variant(`PA-${category.slug}`, 5000), variant(`PB-${category.slug}`, 6000)] });
    // warm the cache, so the test proves the patch invalidates it
    expect((await t.app.inject({ method: 'GET', url: `/v1/products/${product.slug}` })).statusCode).toBe(200);
    const res = await send('PATCH', `/v1/admin/products/${product.id}`, {
      name: 'Sale Item',
      description: 'Now cheaper',
      variants: [{ id: product.variants[1]!.id, price: { amount: 2500, currency: 'USD' }, title: 'Large' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as AdminProduct).variants[1]).toMatchObject({ title: 'Large', price: { amount: 2500, currency: 'USD' } });
    const page = (await t.app.inject({ method: 'GET', url: `/v1/products/${product.slug}` })).json() as PublicProduct;
    expect(page).toMatchObject({ name: 'Sale Item', description: 'Now cheaper' });
    expect(page.variants.map((v) => v.price.amount)).toEqual([5000, 2500]);
    const filtered = (await t.app.inject({ method: 'GET', url: `/v1/products?category=${category.id}&maxPrice=3000` })).json() as ProductList;
    expect(filtered.items.map((p) => p.id)).toEqual([product.id]);
  });

  it('when a patch is empty, names a foreign variant or another currency, then it is refused', async () => {
    const category = await t.createCategory();
    const product = await t.createProduct(category.id);
    const other = await t.createProduct(category.id);
    expect((await send('PATCH', `/v1/admin/products/${product.id}`, {})).statusCode).toBe(400);
    const foreign = await send('PATCH', `/v1/admin/products/${product.id}`, { variants: [{ id: other.variants[0]!.id, title: 'Mine' }] });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json()).toMatchObject({ code: 'CATALOG_VARIANT_NOT_FOUND' });
    const currency = await send('PATCH', `/v1/admin/products/${product.id}`, { variants: [{ id: product.variants[0]!.id, price: { amount: 100, currency: 'EUR' } }] });
    expect(currency.statusCode).toBe(422);
    expect(currency.json()).toMatchObject({ code: 'CATALOG_CURRENCY_MISMATCH' });
  });

  it('when the id is not a uuid, then 400 names params.id; an unknown id is 404', async () => {
    for (const [method, suffix, body] of [['PATCH', '', { name: 'X' }], ['POST', '/archive', undefined]] as const) {
      const bad = await send(method, `/v1/admin/products/not-a-uuid${suffix}`, body);
      expect(bad.statusCode).toBe(400);
      expect(fieldsOf(bad.body)).toEqual(['params.id']);
      const unknown = await send(method, `/v1/admin/products/0190f0f0-0000-7000-8000-00000000beef${suffix}`, body);
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'CATALOG_PRODUCT_NOT_FOUND' });
    }
  });

  it('when a product is archived, then it answers 200 archived, stays archived on repeat, and its variants are no longer purchasable', async () => {
    const category = await t.createCategory();
    const product = await t.createProduct(category.id);
    const first = await send('POST', `/v1/admin/products/${product.id}/archive`);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ id: product.id, status: 'archived' });
    expect((await send('POST', `/v1/admin/products/${product.id}/archive`)).statusCode).toBe(200);
    const [snapshot] = await t.catalog.client.getVariants([product.variants[0]!.id]);
    expect(snapshot).toMatchObject({ productId: product.id, purchasable: false, price: { amount: 1999, currency: 'USD' } });
  });
});
