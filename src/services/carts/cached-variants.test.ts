import { describe, expect, it } from 'vitest';
import type { VariantSnapshot } from '../catalog/contract/catalog-client.js';
import { createCachedVariants } from './cached-variants.js';
import type { VariantSource } from './priced-cart.js';

const variant = (id: string, amount = 100): VariantSnapshot => ({ id, productId: 'p', sku: id, title: '', productName: 'P', price: { amount, currency: 'USD' }, purchasable: true });

function countingCatalog(known: VariantSnapshot[]) {
  const asked: string[][] = [];
  const catalog: VariantSource = {
    async getVariants(ids) {
      asked.push([...ids]);
      return known.filter((v) => ids.includes(v.id));
    },
  };
  return { catalog, asked };
}

describe('cart pricing from cached variants', () => {
  it('when variants are priced again within the TTL, then the catalog is asked only for the ones it was not asked for, unknown ids included', async () => {
    const { catalog, asked } = countingCatalog([variant('a'), variant('b')]);
    const cached = createCachedVariants(catalog, { ttlMs: 60_000 });
    expect((await cached.getVariants(['a', 'x'])).map((v) => v.id)).toEqual(['a']);
    expect((await cached.getVariants(['a', 'b', 'x'])).map((v) => v.id).sort()).toEqual(['a', 'b']);
    expect(asked).toEqual([['a', 'x'], ['b']]);
  });

  it('when the TTL is 0, then every call goes to the catalog', async () => {
    const { catalog, asked } = countingCatalog([variant('a')]);
    const cached = createCachedVariants(catalog, { ttlMs: 0 });
    await cached.getVariants(['a']);
    await cached.getVariants(['a']);
    expect(asked).toHaveLength(2);
  });

  it('when concurrent requests miss different variants in the same turn, then the catalog is asked once for all of them', async () => {
    const { catalog, asked } = countingCatalog(['a', 'b', 'c', 'd'].map((id) => variant(id)));
    const cached = createCachedVariants(catalog, { ttlMs: 60_000 });
    // four adds to cart of different products, arriving together
    const priced = await Promise.all([['a'], ['b'], ['c', 'x'], ['d']].map((ids) => cached.getVariants(ids)));
    expect(priced.map((found) => found.map((v) => v.id))).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect(asked).toEqual([['a', 'b', 'c', 'x', 'd']]);
  });

  it('when the catalog fails, then every request of the turn gets the error and nothing is cached', async () => {
    let fail = true;
    const asked: string[][] = [];
    const catalog: VariantSource = {
      async getVariants(ids) {
        asked.push([...ids]);
        if (fail) throw new Error('catalog unreachable');
        return ids.map((id) => variant(id));
      },
    };
    const cached = createCachedVariants(catalog, { ttlMs: 60_000 });
    const results = await Promise.allSettled([cached.getVariants(['a']), cached.getVariants(['b'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect((await cached.getVariants(['a'])).map((v) => v.id)).toEqual(['a']);
    expect(asked).toEqual([['a', 'b'], ['a']]);
  });
});
