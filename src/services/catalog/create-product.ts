import { newId } from '../../platform/ids.js';
import type { Money } from '../../platform/money.js';
import { slugify } from './catalog-ids.js';
import type { CatalogReadCache } from './catalog-read-cache.js';
import type { AdminProduct } from './contract/catalog-api.js';
import { readAvailability, toAdminProduct, type AvailabilityReader } from './product-view.js';
import type { CatalogStore, InsertProductResult, NewProduct } from './storage/catalog-store.js';

export interface CreateProductInput {
  /** derived from the name when absent */
  slug?: string;
  name: string;
  description?: string;
  categoryId: string;
  variants: Array<{ sku: string; title: string; price: Money }>;
}

export type CreateProductResult =
  | { ok: true; product: AdminProduct }
  | { ok: false; code: 'CATALOG_PRODUCT_SLUG_TAKEN' | 'CATALOG_CATEGORY_NOT_FOUND' | 'CATALOG_CURRENCY_MISMATCH'; slug?: string }
  | { ok: false; code: 'CATALOG_SKU_TAKEN'; sku: string };

export interface CreateProductDeps {
  store: CatalogStore;
  cache: CatalogReadCache;
  inventory: AvailabilityReader;
}

export const makeCreateProduct = ({ store, cache, inventory }: CreateProductDeps) =>
  async (input: CreateProductInput): Promise<CreateProductResult> => {
    const currencies = new Set(input.variants.map((v) => v.price.currency));
    // one currency per product keeps the price index meaningful: min_price compares like with like
    if (currencies.size !== 1) return { ok: false, code: 'CATALOG_CURRENCY_MISMATCH' };
    const id = newId();
    const product: NewProduct = {
      id,
      slug: input.slug ?? slugify(input.name),
      name: input.name,
      description: input.description ?? '',
      categoryId: input.categoryId,
      currency: input.variants[0]!.price.currency,
      variants: input.variants.map((v, position) => ({ id: newId(), sku: v.sku, title: v.title, price: v.price, position })),
    };
    let result: InsertProductResult = await store.insertProduct(product);
    if (!result.ok && result.code === 'CATALOG_PRODUCT_SLUG_TAKEN' && input.slug === undefined) {
      // a derived slug is ours to choose: two "Classic Hoodie"s are fine, only the admin's explicit slug must be exact
      result = await store.insertProduct({ ...product, slug: `${product.slug.slice(0, 90)}-${id.slice(-6)}` });
    }
    if (!result.ok) return result.code === 'CATALOG_PRODUCT_SLUG_TAKEN' ? { ok: false, code: result.code, slug: product.slug } : result;
    // a shopper may have asked for this slug moments ago and had "not found" cached
    cache.productChanged(result.product);
    const availability = await readAvailability(inventory, [result.product]);
    return { ok: true, product: toAdminProduct(result.product, availability) };
  };
