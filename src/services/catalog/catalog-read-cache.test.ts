import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { createPgliteDatabase, type Database } from '../../platform/db/database.js';
import { migrateAll } from '../../platform/db/migrate.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import { catalogMigrations } from './catalog-migrations.js';
import { createCatalogReadCache } from './catalog-read-cache.js';
import { makeGetProduct } from './get-product.js';
import { makeListProducts } from './list-products.js';
import type { AvailabilityReader } from './product-view.js';
import type { CatalogStore, ProductListQuery } from './storage/catalog-store.js';
import { createSqlCatalogStore } from './storage/sql-catalog-store.js';
import { makeUpdateProduct } from './update-product.js';

describe('catalog read cache', () => {
  let db: Database;
  let store: CatalogStore;
  beforeAll(async () => {
    db = await createPgliteDatabase(undefined);
    await migrateAll(db, [catalogMigrations]);
    store = createSqlCatalogStore(db);
  });
  afterAll(() => db?.close());

  // stock is not what these tests are about: every variant has 2
  const inventory: AvailabilityReader = { available: async (ids) => new Map(ids.map((id) => [id, 2])) };

  /** the real SQL store, counting the reads that reach it */
  const counting = () => {
    const reads = { bySlug: 0, byId: 0, lists: 0 };
    const counted: CatalogStore = {
      ...store,
      findProductBySlug: (slug) => (reads.bySlug++, store.findProductBySlug(slug)),
      findProductById: (id) => (reads.byId++, store.findProductById(id)),
      listProducts: (query) => (reads.lists++, store.listProducts(query)),
    };
    return { reads, counted };
  };

  const newCategory = async () => {
    const id = uuidv7();
    const result = await store.insertCategory({ id, slug: `cache-${id.slice(-12)}`, name: 'Cache', position: 0 });
    if (!result.ok) throw new Error(result.code);
    return result.category;
  };

  const newProduct = async (categoryId: string, name = 'Cached', amount = 100) => {
    const tag = uuidv7().slice(-12);
    const result = await store.insertProduct({
      id: uuidv7(),
      slug: `cached-${tag}`,
      name: `${name} ${tag}`,
      description: '',
      categoryId,
      currency: 'USD',
      variants: [{ id: uuidv7(), sku: `CACHE-${tag}`, title: 'One', price: { amount, currency: 'USD' }, position: 0 }],
    });
    if (!result.ok) throw new Error(result.code);
    return result.product;
  };

  const rename = async (id: string, name: string) => {
    const result = await store.updateProduct(id, { name });
    if (!result.ok) throw new Error(result.code);
    return result.product;
  };

  it('when many requests miss the same product at once, then the store is read once and later requests hit', async () => {
    const product = await newProduct((await newCategory()).id);
    const { reads, counted } = counting();
    const cache = createCatalogReadCache({ store: counted, ttlMs: 60_000 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.product(product.slug)));
    expect(answers.every((p) => p?.id === product.id)).toBe(true);
    await cache.product(product.slug);
    expect(reads.bySlug).toBe(1);
    expect((await cache.product(product.id.toUpperCase()))?.id).toBe(product.id);
    expect(reads.byId).toBe(1);
  });

  it('when an admin change lands while the product is being loaded, then later reads get the change without another query', async () => {
    const product = await newProduct((await newCategory()).id);
    const { reads, counted } = counting();
    const cache = createCatalogReadCache({ store: counted, ttlMs: 60_000 });
    const inFlight = cache.product(product.id);
    // queued on the database behind the read above, so that read sees the old name
    cache.productChanged(await rename(product.id, 'Renamed'));
    expect((await inFlight)?.name).toBe(product.name);
    expect((await cache.product(product.id))?.name).toBe('Renamed');
    expect((await cache.product(product.slug))?.name).toBe('Renamed');
    expect(reads).toMatchObject({ byId: 1, bySlug: 0 });
  });

  it('when an unknown slug was cached as missing and a new product takes it, then it is visible at once', async () => {
    const category = await newCategory();
    const { reads, counted } = counting();
    const cache = createCatalogReadCache({ store: counted, ttlMs: 60_000 });
    const slug = `later-${uuidv7().slice(-12)}`;
    expect(await cache.product(slug)).toBeUndefined();
    expect(await cache.product(slug)).toBeUndefined();
    expect(reads.bySlug).toBe(1);
    const created = await store.insertProduct({
      id: uuidv7(),
      slug,
      name: 'Later',
      description: '',
      categoryId: category.id,
      currency: 'USD',
      variants: [{ id: uuidv7(), sku: slug.toUpperCase(), title: 'One', price: { amount: 100, currency: 'USD' }, position: 0 }],
    });
    if (!created.ok) throw new Error(created.code);
    cache.productChanged(created.product);
    expect((await cache.product(slug))?.id).toBe(created.product.id);
    expect(reads.bySlug).toBe(1);
  });

  it('when the ttl has passed, then the product is read again', async () => {
    const product = await newProduct((await newCategory()).id);
    const { reads, counted } = counting();
    const cache = createCatalogReadCache({ store: counted, ttlMs: 30 });
    await cache.product(product.slug);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await cache.product(product.slug);
    expect(reads.bySlug).toBe(2);
  });

  it('when a category is created, then the category list shows it at once', async () => {
    const cache = createCatalogReadCache({ store, ttlMs: 60_000 });
    const before = await cache.categories();
    const category = await newCategory();
    expect(await cache.categories()).toEqual(before);
    cache.categoriesChanged();
    expect((await cache.categories()).map((c) => c.id)).toContain(category.id);
  });

  it('when the same list is asked for again, in another spelling or by many at once, then the store is queried once', async () => {
    const category = await newCategory();
    const mine = await newProduct(category.id, 'Zephyrwool Scarf');
    const { reads, counted } = counting();
    const listProducts = makeListProducts({ cache: createCatalogReadCache({ store: counted, ttlMs: 60_000 }), inventory });
    const first = await listProducts({ q: 'zephyrwool', category: category.id, limit: 20 });
    expect(first).toMatchObject({ ok: true, items: [{ id: mine.id, variants: [{ available: 2 }] }], nextCursor: null });
    const same = await Promise.all([
      listProducts({ q: 'zephyrwool', category: category.id, limit: 20 }),
      listProducts({ q: '  ZephyrWool ', category: category.id.toUpperCase(), limit: 20 }),
      listProducts({ q: 'zephyrwool', category: category.id, limit: 20, sort: 'relevance' }),
    ]);
    for (const answer of same) expect(answer).toEqual(first);
    expect(reads.lists).toBe(1);
    // anything that changes the answer is another entry
    await listProducts({ q: 'zephyrwool', category: category.id, limit: 19 });
    await listProducts({ q: 'zephyrwool', category: category.id, limit: 20, maxPrice: 50 });
    expect(reads.lists).toBe(3);
  });

  it('when an admin updates a product, then this process shows the new price on its page and in lists at once', async () => {
    const category = await newCategory();
    const product = await newProduct(category.id, 'Priced', 5_000);
    const { reads, counted } = counting();
    const cache = createCatalogReadCache({ store: counted, ttlMs: 60_000 });
    const listProducts = makeListProducts({ cache, inventory });
    const getProduct = makeGetProduct({ cache, inventory });
    const updateProduct = makeUpdateProduct({ store: counted, cache, inventory });
    const cheap = { category: category.id, maxPrice: 3_000, limit: 20 };
    // warm every cache the change must reach
    expect(await listProducts(cheap)).toMatchObject({ ok: true, items: [] });
    expect(await listProducts({ category: category.slug, limit: 20 })).toMatchObject({ items: [{ id: product.id, variants: [{ price: { amount: 5_000 } }] }] });
    expect(await getProduct(product.slug)).toMatchObject({ ok: true, product: { variants: [{ price: { amount: 5_000 } }] } });
    const listsBefore = reads.lists;

    const updated = await updateProduct(product.id, { variants: [{ id: product.variants[0]!.id, price: { amount: 2_500, currency: 'USD' } }] });
    expect(updated.ok).toBe(true);

    expect(await getProduct(product.slug)).toMatchObject({ ok: true, product: { variants: [{ price: { amount: 2_500 } }] } });
    expect(await listProducts(cheap)).toMatchObject({ ok: true, items: [{ id: product.id, variants: [{ price: { amount: 2_500 } }] }] });
    expect(await listProducts({ category: category.slug, limit: 20 })).toMatchObject({ items: [{ variants: [{ price: { amount: 2_500 } }] }] });
    expect(reads.lists).toBe(listsBefore + 2);
  });

  it('when a list request arrives after an admin change while an older load of that list is in flight, then it gets the change', async () => {
    const category = await newCategory();
    const product = await newProduct(category.id, 'Before');
    const { reads, counted } = counting();
    const cache = createCatalogReadCache({ store: counted, ttlMs: 60_000 });
    const query: ProductListQuery = { category: category.id, sort: 'newest', limit: 20 };
    const older = cache.productPage(query);
    cache.productChanged(await rename(product.id, 'After'));
    const newer = await cache.productPage(query);
    expect((await older).products.map((p) => p.name)).toEqual([product.name]);
    expect(newer.products.map((p) => p.name)).toEqual(['After']);
    expect(reads.lists).toBe(2);
    // and the older load was not kept: the next read is a hit on the newer one
    expect((await cache.productPage(query)).products.map((p) => p.name)).toEqual(['After']);
    expect(reads.lists).toBe(2);
  });

  it('when lists and products are read, then hits and misses are counted per cache under floodgate_cache_requests_total', async () => {
    const category = await newCategory();
    const product = await newProduct(category.id);
    const metrics = createMetrics('catalog-test');
    const cache = createCatalogReadCache({ store, metrics, ttlMs: 60_000 });
    const query: ProductListQuery = { category: category.id, sort: 'newest', limit: 20 };
    for (let i = 0; i < 3; i++) {
      await cache.productPage(query);
      await cache.product(product.id);
      await cache.categories();
    }
    const values = (await metrics.registry.getSingleMetric('floodgate_cache_requests_total')!.get()).values;
    const count = (cache: string, result: string) => values.find((v) => v.labels.cache === cache && v.labels.result === result)?.value;
    for (const name of ['catalog-list', 'catalog-product', 'catalog-categories']) {
      expect([count(name, 'miss'), count(name, 'hit')], name).toEqual([1, 2]);
    }
    expect(metrics.registry.getSingleMetric('floodgate_catalog_cache_lookups_total')).toBeUndefined();
  });
});
