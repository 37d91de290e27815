import type { Money } from '../../../platform/money.js';
import type { VariantSnapshot } from '../contract/catalog-client.js';

export type CatalogStatus = 'active' | 'archived';

export interface CategoryRecord {
  id: string;
  slug: string;
  name: string;
  position: number;
}

export interface VariantRecord {
  id: string;
  productId: string;
  sku: string;
  title: string;
  price: Money;
  status: CatalogStatus;
  position: number;
}

export interface ProductRecord {
  id: string;
  slug: string;
  name: string;
  description: string;
  categoryId: string;
  status: CatalogStatus;
  currency: string;
  /** cheapest active variant, in `currency` minor units */
  minPrice: number;
  createdAt: Date;
  updatedAt: Date;
  /** every variant, active or archived, in display order */
  variants: VariantRecord[];
}

export type ProductSort = 'newest' | 'price_asc' | 'price_desc' | 'name' | 'relevance';

/** Where the previous page ended; the next page starts strictly after it in the sort's order. */
export type ProductKeyset =
  | { sort: 'newest'; createdAt: string; id: string }
  | { sort: 'price_asc' | 'price_desc'; price: number; id: string }
  | { sort: 'name'; name: string; id: string }
  | { sort: 'relevance'; rank: number; id: string };

export interface ProductListQuery {
  /** websearch syntax: words, "quoted phrases", -excluded */
  q?: string;
  /** a category id or slug */
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  /** relevance requires q */
  sort: ProductSort;
  after?: ProductKeyset;
  limit: number;
}

/** Active products only: archived ones never appear in public lists. */
export interface ProductPage {
  products: ProductRecord[];
  next: ProductKeyset | null;
}

export interface NewCategory {
  id: string;
  slug: string;
  name: string;
  position: number;
}

export interface NewVariant {
  id: string;
  sku: string;
  title: string;
  price: Money;
  position: number;
}

export interface NewProduct {
  id: string;
  slug: string;
  name: string;
  description: string;
  categoryId: string;
  /** all variants share it; the caller checks that */
  currency: string;
  variants: NewVariant[];
  /** set by the demo seed so "newest" is stable across runs; defaults to now */
  createdAt?: Date;
}

export interface ProductPatch {
  name?: string;
  description?: string;
  categoryId?: string;
  variants?: Array<{ id: string; title?: string; price?: Money }>;
}

export type InsertCategoryResult = { ok: true; category: CategoryRecord } | { ok: false; code: 'CATALOG_CATEGORY_SLUG_TAKEN' };

export type InsertProductResult =
  | { ok: true; product: ProductRecord }
  | { ok: false; code: 'CATALOG_PRODUCT_SLUG_TAKEN' | 'CATALOG_CATEGORY_NOT_FOUND' }
  | { ok: false; code: 'CATALOG_SKU_TAKEN'; sku: string };

export type UpdateProductResult =
  | { ok: true; product: ProductRecord }
  | { ok: false; code: 'CATALOG_PRODUCT_NOT_FOUND' | 'CATALOG_CATEGORY_NOT_FOUND' }
  | { ok: false; code: 'CATALOG_VARIANT_NOT_FOUND'; variantId: string }
  | { ok: false; code: 'CATALOG_CURRENCY_MISMATCH'; variantId: string; currency: string };

export interface CatalogBatch {
  categories: NewCategory[];
  products: NewProduct[];
}

export interface CatalogStore {
  listCategories(): Promise<CategoryRecord[]>;
  insertCategory(category: NewCategory): Promise<InsertCategoryResult>;

  /** any status: the caller decides whether an archived product is visible */
  findProductById(id: string): Promise<ProductRecord | undefined>;
  findProductBySlug(slug: string): Promise<ProductRecord | undefined>;
  listProducts(query: ProductListQuery): Promise<ProductPage>;

  insertProduct(product: NewProduct): Promise<InsertProductResult>;
  updateProduct(id: string, patch: ProductPatch): Promise<UpdateProductResult>;
  /** idempotent; undefined when there is no such product */
  archiveProduct(id: string): Promise<ProductRecord | undefined>;

  /** one query; unknown (or malformed) ids are absent from the answer */
  getVariants(ids: readonly string[]): Promise<VariantSnapshot[]>;

  countProducts(): Promise<number>;
  /**
   * Inserts the whole batch in one transaction, only when the catalog has no product yet (checked
   * under a lock, so two processes seeding at once insert it once). True when it inserted.
   */
  insertBatchIfEmpty(batch: CatalogBatch): Promise<boolean>;
  /** every variant, ordered by sku */
  listVariantIds(): Promise<Array<{ id: string; sku: string }>>;
  countCategories(): Promise<number>;
}
