import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CatalogClient } from './catalog-client.js';

export interface CatalogClientFixture {
  client: CatalogClient;
  /** a new product with one variant at `amount` USD cents */
  variantPriced(amount: number): Promise<string>;
  /** changes the variant's price the way an admin does (PATCH /v1/admin/products/{id}) */
  reprice(variantId: string, amount: number): Promise<void>;
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

    it('when cached snapshots are asked for, then they are the same as the current ones, unknown and malformed ids left out', async () => {
      const { client, variantPriced } = fixture();
      const variantId = await variantPriced(4321);
      const cached = await client.getVariantsCached([variantId, randomUUID(), 'not-an-id']);
      expect(cached).toEqual(await client.getVariants([variantId]));
      expect(cached).toHaveLength(1);
      expect(await client.getVariantsCached([])).toEqual([]);
    });

    it('when a cached variant is repriced, then the next cached read shows the new price at once (the change drops it)', async () => {
      const { client, variantPriced, reprice } = fixture();
      const variantId = await variantPriced(1000);
      expect((await client.getVariantsCached([variantId]))[0]?.price.amount).toBe(1000);
      expect((await client.getVariantsCached([variantId]))[0]?.price.amount).toBe(1000);
      await reprice(variantId, 1500);
      expect((await client.getVariantsCached([variantId]))[0]?.price.amount).toBe(1500);
      expect((await client.getVariants([variantId]))[0]?.price.amount).toBe(1500);
    });
  });
}
