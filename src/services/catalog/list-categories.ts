import type { CatalogReadCache } from './catalog-read-cache.js';
import type { Category } from './contract/catalog-api.js';

/** Every category in display order; served from the cache, since every storefront page asks for it. */
export const makeListCategories = ({ cache }: { cache: CatalogReadCache }) =>
  async (): Promise<Category[]> => (await cache.categories()).map(({ id, slug, name }) => ({ id, slug, name }));
