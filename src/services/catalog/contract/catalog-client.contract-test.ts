import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CatalogClient } from './catalog-client.js';

export interface CatalogClientFixture {
  client: CatalogClient;
  /** a new product with one variant at `amount` USD cents */
  variantPriced(amount: number): Promise<string>;
}

export function catalogClientContract(name: string, fixture: () => CatalogClientFixture) {
  describe(`${name} catalog client`, () => {
    it('when known and unknown variants are asked for, then only the known ones come back, priced and purchasable', async () => {
      const { client, variantPriced } = fixture();
      const variantId = await variantPriced(1234);
      const variants = await client.getVariants([variantId, randomUUID()]);
      expect(variants).toHaveLength(1);
      expect(variants[0]).toMatchObject({ id: variantId, price: { amount: 1234, currency: 'USD' }, purchasable: true });
      expect(await client.getVariants([])).toEqual([]);
    });
  });
}
