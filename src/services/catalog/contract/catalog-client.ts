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
  /** unknown ids are simply absent from the result */
  getVariants(ids: readonly string[]): Promise<VariantSnapshot[]>;
}
