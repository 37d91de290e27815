import { newId } from '../../platform/ids.js';
import type { CatalogReadCache } from './catalog-read-cache.js';
import type { Category } from './contract/catalog-api.js';
import type { CatalogStore } from './storage/catalog-store.js';

export interface CreateCategoryInput {
  slug: string;
  name: string;
  /** display order; new categories go last by default */
  position?: number;
}

export type CreateCategoryResult = { ok: true; category: Category } | { ok: false; code: 'CATALOG_CATEGORY_SLUG_TAKEN' };

export const makeCreateCategory = ({ store, cache }: { store: CatalogStore; cache: CatalogReadCache }) =>
  async (input: CreateCategoryInput): Promise<CreateCategoryResult> => {
    const position = input.position ?? (await store.countCategories());
    const result = await store.insertCategory({ id: newId(), slug: input.slug, name: input.name, position });
    if (!result.ok) return result;
    cache.categoriesChanged();
    const { id, slug, name } = result.category;
    return { ok: true, category: { id, slug, name } };
  };
