import type { Money } from '../../../platform/money.js';

/** What other services may know about a variant at a moment: enough to price a cart line. */
export interface VariantSnapshot {
  id: string;
  productId: string;
  sku: string;
  title: string;
  productName: string;
  price: Money;
  /** false once the product or variant is archived: it can no longer be bought */
  purchasable: boolean;
}

export interface CatalogClient {
  /** as the catalog has them now, for charging (checkout, a sale's order); unknown ids are simply absent */
  getVariants(ids: readonly string[]): Promise<VariantSnapshot[]>;
  /**
   * The same snapshots from the catalog's cache of them, for showing (cart answers): a change of their product
   * drops them in every process as it drops the product's pages; without one they may be up to
   * CATALOG_VARIANT_CACHE_TTL_MS old. Never for charging.
   */
  getVariantsCached(ids: readonly string[]): Promise<VariantSnapshot[]>;
}
