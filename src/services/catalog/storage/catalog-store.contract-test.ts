import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { CatalogStore, NewProduct, ProductListQuery, ProductRecord, ProductSort } from './catalog-store.js';

export interface CatalogStoreHarness {
  store: CatalogStore;
  dispose(): Promise<void>;
}

/** One suite, every adapter: the SQL store on PGlite and on PostgreSQL. */
export function catalogStoreContract(name: string, make: () => Promise<CatalogStoreHarness>) {
  describe(`${name} catalog store`, () => {
    let harness: CatalogStoreHarness;
    let store: CatalogStore;
    beforeAll(async () => {
      harness = await make();
      store = harness.store;
    });
    afterAll(() => harness?.dispose());

    // each test owns a category, so list queries filtered by it see only that test's products
    const tag = () => uuidv7().slice(-12);
    const newCategory = async () => {
      const t = tag();
      const result = await store.insertCategory({ id: uuidv7(), slug: `cat-${t}`, name: `Category ${t}`, position: 0 });
      if (!result.ok) throw new Error('category insert failed');
      return result.category;
    };
    const newProduct = (categoryId: string, over: Partial<NewProduct> & { prices?: number[] } = {}): NewProduct => {
      const t = tag();
      const { prices = [1999], ...rest } = over;
      return {
        id: uuidv7(),
        slug: `product-${t}`,
        name: `Product ${t}`,
        description: 'A plain thing',
        categoryId,
        currency: 'USD',
        variants: prices.map((amount, position) => ({ id: uuidv7(), sku: `SKU-${t}-${position}`, title: `Variant ${position}`, price: { amount, currency: 'USD' }, position })),
        ...rest,
      };
    };
    const insert = async (product: NewProduct) => {
      const result = await store.insertProduct(product);
      if (!result.ok) throw new Error(`insert failed: ${result.code}`);
      return result.product;
    };
    const walk = async (query: Omit<ProductListQuery, 'after'>) => {
      const seen: ProductRecord[] = [];
      let after: ProductListQuery['after'];
      for (let pages = 0; pages < 50; pages++) {
        const page = await store.listProducts({ ...query, ...(after ? { after } : {}) });
        seen.push(...page.products);
        if (!page.next) return seen;
        after = page.next;
      }
      throw new Error('pagination did not end');
    };

    it('when a product is inserted, then it is found by id and by slug with its variants in order and its cheapest price', async () => {
      const category = await newCategory();
      const product = await insert(newProduct(category.id, { prices: [2500, 1500, 3500] }));
      const byId = await store.findProductById(product.id);
      const bySlug = await store.findProductBySlug(product.slug);
      expect(byId).toEqual(bySlug);
      expect(byId).toMatchObject({ status: 'active', categoryId: category.id, currency: 'USD', minPrice: 1500 });
      expect(byId?.variants.map((v) => v.price.amount)).toEqual([2500, 1500, 3500]);
      expect(await store.findProductById(uuidv7())).toBeUndefined();
      expect(await store.findProductById('not-a-uuid')).toBeUndefined();
    });

    it('when a sku is already taken, then the insert is refused naming that sku and nothing is written', async () => {
      const category = await newCategory();
      const first = await insert(newProduct(category.id));
      const second = newProduct(category.id, { prices: [100, 200] });
      second.variants[1]!.sku = first.variants[0]!.sku;
      expect(await store.insertProduct(second)).toEqual({ ok: false, code: 'CATALOG_SKU_TAKEN', sku: first.variants[0]!.sku });
      expect(await store.findProductById(second.id)).toBeUndefined();
    });

    it('when a product slug or category slug is taken, or the category is unknown, then the insert is refused', async () => {
      const category = await newCategory();
      const first = await insert(newProduct(category.id));
      expect(await store.insertProduct(newProduct(category.id, { slug: first.slug }))).toEqual({ ok: false, code: 'CATALOG_PRODUCT_SLUG_TAKEN' });
      expect(await store.insertProduct(newProduct(uuidv7()))).toEqual({ ok: false, code: 'CATALOG_CATEGORY_NOT_FOUND' });
      expect(await store.insertCategory({ id: uuidv7(), slug: category.slug, name: 'Again', position: 1 })).toEqual({ ok: false, code: 'CATALOG_CATEGORY_SLUG_TAKEN' });
    });

    it('when searching words, then products whose name or description match are found, name matches ranked first', async () => {
      const category = await newCategory();
      const word = `zorblax${tag().replace(/[^a-f]/g, '')}`;
      const inDescription = await insert(newProduct(category.id, { name: 'Plain Mug', description: `Pairs well with a ${word} jacket` }));
      const inName = await insert(newProduct(category.id, { name: `${word} Rain Jackets`, description: 'Keeps you dry' }));
      await insert(newProduct(category.id, { name: 'Unrelated Lamp' }));
      const found = await walk({ q: word, sort: 'relevance', limit: 10 });
      expect(found.map((p) => p.id)).toEqual([inName.id, inDescription.id]);
      // stemming: "jacket" finds "Jackets"; -word excludes
      const jackets = await walk({ q: `${word} jacket -mug`, category: category.id, sort: 'newest', limit: 10 });
      expect(jackets.map((p) => p.id)).toEqual([inName.id]);
    });

    it('when filtering by price, then only products whose cheapest variant is within the range are listed', async () => {
      const category = await newCategory();
      const cheap = await insert(newProduct(category.id, { prices: [500, 9000] }));
      const middle = await insert(newProduct(category.id, { prices: [2000] }));
      await insert(newProduct(category.id, { prices: [8000] }));
      const ids = (await walk({ category: category.slug, minPrice: 500, maxPrice: 2000, sort: 'price_asc', limit: 10 })).map((p) => p.id);
      expect(ids).toEqual([cheap.id, middle.id]);
    });

    it('when listing with each sort order, then products come in that order', async () => {
      const category = await newCategory();
      const at = (minutes: number) => new Date(Date.UTC(2024, 5, 1, 12, minutes));
      const a = await insert(newProduct(category.id, { name: 'Banana Bag', prices: [3000], createdAt: at(1) }));
      const b = await insert(newProduct(category.id, { name: 'apple Box', prices: [1000], createdAt: at(3) }));
      const c = await insert(newProduct(category.id, { name: 'Cherry Cup', prices: [2000], createdAt: at(2) }));
      const order = async (sort: ProductSort) => (await walk({ category: category.id, sort, limit: 10 })).map((p) => p.id);
      expect(await order('newest')).toEqual([b.id, c.id, a.id]);
      expect(await order('price_asc')).toEqual([b.id, c.id, a.id]);
      expect(await order('price_desc')).toEqual([a.id, c.id, b.id]);
      const byName = await order('name');
      // collation differs between engines (C on PGlite, often en_US on PostgreSQL); both keep B before C
      expect(byName.indexOf(a.id)).toBeLessThan(byName.indexOf(c.id));
    });

    it('when paging through ties in every sort, then each product is listed exactly once', async () => {
      const category = await newCategory();
      const sameTime = new Date(Date.UTC(2024, 0, 1));
      const created: string[] = [];
      for (let i = 0; i < 13; i++) {
        const p = await insert(newProduct(category.id, { name: `Tie ${i % 3}`, prices: [1000 + (i % 2) * 500], createdAt: i < 7 ? sameTime : new Date(sameTime.getTime() + i) }));
        created.push(p.id);
      }
      for (const sort of ['newest', 'price_asc', 'price_desc', 'name'] as const) {
        const ids = (await walk({ category: category.id, sort, limit: 4 })).map((p) => p.id);
        expect(ids, sort).toHaveLength(13);
        expect(new Set(ids), sort).toEqual(new Set(created));
      }
      const searched = (await walk({ q: 'tie', category: category.id, sort: 'relevance', limit: 4 })).map((p) => p.id);
      expect(new Set(searched)).toEqual(new Set(created));
      expect(searched).toHaveLength(13);
    });

    it('when a product is archived, then lists skip it, it is still found by id, and its variants are not purchasable', async () => {
      const category = await newCategory();
      const product = await insert(newProduct(category.id));
      const archived = await store.archiveProduct(product.id);
      expect(archived?.status).toBe('archived');
      expect(await store.archiveProduct(product.id)).toMatchObject({ status: 'archived' });
      expect(await walk({ category: category.id, sort: 'newest', limit: 10 })).toEqual([]);
      expect((await store.findProductById(product.id))?.status).toBe('archived');
      expect(await store.getVariants([product.variants[0]!.id])).toEqual([expect.objectContaining({ purchasable: false })]);
      expect(await store.archiveProduct(uuidv7())).toBeUndefined();
    });

    it('when a variant price is patched, then the product price used by filters and sorts follows', async () => {
      const category = await newCategory();
      const product = await insert(newProduct(category.id, { prices: [4000, 5000] }));
      const result = await store.updateProduct(product.id, {
        name: 'Renamed',
        variants: [{ id: product.variants[1]!.id, price: { amount: 1200, currency: 'USD' }, title: 'Small' }],
      });
      expect(result.ok && result.product).toMatchObject({ name: 'Renamed', minPrice: 1200 });
      expect(result.ok && result.product.variants[1]).toMatchObject({ title: 'Small', price: { amount: 1200, currency: 'USD' } });
      const listed = await walk({ category: category.id, maxPrice: 1200, sort: 'price_asc', limit: 10 });
      expect(listed.map((p) => p.id)).toEqual([product.id]);
    });

    it('when a patch names a foreign variant, another currency or an unknown category, then it is refused and nothing changes', async () => {
      const category = await newCategory();
      const product = await insert(newProduct(category.id));
      const other = await insert(newProduct(category.id));
      const foreign = other.variants[0]!.id;
      expect(await store.updateProduct(product.id, { name: 'X', variants: [{ id: foreign, title: 'Mine now' }] })).toEqual({
        ok: false,
        code: 'CATALOG_VARIANT_NOT_FOUND',
        variantId: foreign,
      });
      const own = product.variants[0]!.id;
      expect(await store.updateProduct(product.id, { variants: [{ id: own, price: { amount: 1, currency: 'EUR' } }] })).toMatchObject({ ok: false, code: 'CATALOG_CURRENCY_MISMATCH' });
      expect(await store.updateProduct(product.id, { categoryId: uuidv7() })).toEqual({ ok: false, code: 'CATALOG_CATEGORY_NOT_FOUND' });
      expect(await store.updateProduct(uuidv7(), { name: 'Nobody' })).toEqual({ ok: false, code: 'CATALOG_PRODUCT_NOT_FOUND' });
      expect(await store.findProductById(product.id)).toEqual(product);
      expect((await store.findProductById(other.id))?.variants[0]?.title).toBe(other.variants[0]!.title);
    });

    it('when variants are asked for, then known ones come back priced and unknown or malformed ids are absent', async () => {
      const category = await newCategory();
      const product = await insert(newProduct(category.id, { prices: [700, 800] }));
      const [v1, v2] = product.variants;
      const snapshots = await store.getVariants([v1!.id, v2!.id.toUpperCase(), uuidv7(), 'nope', v1!.id]);
      expect(snapshots.sort((x, y) => x.sku.localeCompare(y.sku))).toEqual([
        { id: v1!.id, productId: product.id, sku: v1!.sku, title: v1!.title, productName: product.name, price: { amount: 700, currency: 'USD' }, purchasable: true },
        { id: v2!.id, productId: product.id, sku: v2!.sku, title: v2!.title, productName: product.name, price: { amount: 800, currency: 'USD' }, purchasable: true },
      ]);
      expect(await store.getVariants([])).toEqual([]);
    });

    it('when a category is given by slug or by id, then the same products are listed', async () => {
      const category = await newCategory();
      await insert(newProduct(category.id));
      await insert(newProduct(category.id));
      const bySlug = await walk({ category: category.slug, sort: 'newest', limit: 10 });
      const byId = await walk({ category: category.id, sort: 'newest', limit: 10 });
      expect(bySlug).toHaveLength(2);
      expect(bySlug).toEqual(byId);
      expect(await walk({ category: 'no-such-category', sort: 'newest', limit: 10 })).toEqual([]);
      expect((await store.listCategories()).some((c) => c.id === category.id)).toBe(true);
    });
  });
}
