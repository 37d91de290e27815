import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { createPgliteDatabase, type Database } from '../../platform/db/database.js';
import { migrateAll } from '../../platform/db/migrate.js';
import { catalogMigrations } from './catalog-migrations.js';
import { createCatalogReadCache } from './catalog-read-cache.js';
import type { CatalogStore } from './storage/catalog-store.js';
import { createSqlCatalogStore } from './storage/sql-catalog-store.js';

describe('catalog read cache', () => {
  let db: Database;
  let store: CatalogStore;
  let categoryId: string;
  beforeAll(async () => {
    db = await createPgliteDatabase(undefined);
    await migrateAll(db, [catalogMigrations]);
    store = createSqlCatalogStore(db);
    categoryId = uuidv7();
    await store.insertCategory({ id: categoryId, slug: `cache-${categoryId.slice(-8)}`, name: 'Cache', position: 0 });
  });
  afterAll(() => db?.close());

  /** the real store, counting the reads that reach it */
  const counting = () => {
    const reads = { bySlug: 0, byId: 0 };
    const counted: CatalogStore = {
      ...store,
      findProductBySlug: (slug) => (reads.bySlug++, store.findProductBySlug(slug)),
      findProductById: (id) => (reads.byId++, store.findProductById(id)),
    };
    return { reads, counted };
  };

  const newProduct = async () => {
    const tag = uuidv7().slice(-12);
    const result = await store.insertProduct({
      id: uuidv7(),
      slug: `cached-${tag}`,
      name: `Cached ${tag}`,
      description: '',
      categoryId,
      currency: 'USD',
      variants: [{ id: uuidv7(), sku: `CACHE-${tag}`, title: 'One', price: { amount: 100, currency: 'USD' }, position: 0 }],
    });
    if (!result.ok) throw new Error(result.code);
    return result.product;
  };

  it('when many requests miss the same product at once, then the store is read once and later requests hit', async () => {
    const product = await newProduct();
    const { reads, counted } = counting();
    const cache = createCatalogReadCache({ store: counted, ttlMs: 60_000 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.product(product.slug)));
    expect(answers.every((p) => p?.id === product.id)).toBe(true);
    await cache.product(product.slug);
    expect(reads.bySlug).toBe(1);
    expect((await cache.product(product.id.toUpperCase()))?.id).toBe(product.id);
    expect(reads.byId).toBe(1);
  });

  it('when a product is invalidated while it is being loaded, then that load is not kept', async () => {
    const product = await newProduct();
    const { reads, counted } = counting();
    const cache = createCatalogReadCache({ store: counted, ttlMs: 60_000 });
    const inFlight = cache.product(product.id);
    // an admin change lands while the read is still queued on the database
    cache.invalidateProduct(product);
    expect((await inFlight)?.id).toBe(product.id);
    await cache.product(product.id);
    expect(reads.byId).toBe(2);
  });

  it('when an unknown slug is cached as missing and a product takes it, then invalidation makes it visible', async () => {
    const { reads, counted } = counting();
    const cache = createCatalogReadCache({ store: counted, ttlMs: 60_000 });
    const product = await newProduct();
    const slug = `later-${product.id.slice(-12)}`;
    expect(await cache.product(slug)).toBeUndefined();
    expect(await cache.product(slug)).toBeUndefined();
    expect(reads.bySlug).toBe(1);
    cache.invalidateProduct({ id: product.id, slug });
    expect(await cache.product(slug)).toBeUndefined();
    expect(reads.bySlug).toBe(2);
  });

  it('when the ttl has passed, then the product is read again', async () => {
    const product = await newProduct();
    const { reads, counted } = counting();
    const cache = createCatalogReadCache({ store: counted, ttlMs: 30 });
    await cache.product(product.slug);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await cache.product(product.slug);
    expect(reads.bySlug).toBe(2);
  });

  it('when a category is created, then invalidating the list shows it', async () => {
    const cache = createCatalogReadCache({ store, ttlMs: 60_000 });
    const before = await cache.categories();
    const id = uuidv7();
    await store.insertCategory({ id, slug: `late-${id.slice(-8)}`, name: 'Late', position: 1 });
    expect(await cache.categories()).toEqual(before);
    cache.invalidateCategories();
    expect((await cache.categories()).map((c) => c.id)).toContain(id);
  });
});
