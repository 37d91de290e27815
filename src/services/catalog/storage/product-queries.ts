import { sql, type ColumnType, type Generated, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import { looksLikeUuid } from '../catalog-ids.js';
import type { ProductListQuery } from './catalog-store.js';

/**
 * The catalog's read queries as builders: the SQL store runs them, and the query-plan test
 * EXPLAINs exactly the same SQL, so the documented plans are the plans production gets.
 */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** has a database default, so inserts may leave it out */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface CategoryRow {
  id: string;
  slug: string;
  name: string;
  position: number;
  created_at: Generated<Date>;
}

export interface ProductRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  category_id: string;
  status: Defaulted<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  min_price_minor: number;
  currency: string;
  search: ColumnType<string, never, never>;
}

export interface VariantRow {
  id: string;
  product_id: string;
  sku: string;
  title: string;
  price_minor: number;
  currency: string;
  status: Defaulted<string>;
  position: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CatalogTables {
  'catalog.categories': CategoryRow;
  'catalog.products': ProductRow;
  'catalog.variants': VariantRow;
}

export type CatalogKysely = Kysely<CatalogTables>;

export const catalogKysely = (db: Database) => db.kysely as CatalogKysely;

const PRODUCT_COLUMNS = [
  'p.id',
  'p.slug',
  'p.name',
  'p.description',
  'p.category_id',
  'p.status',
  'p.currency',
  'p.min_price_minor',
  'p.created_at',
  'p.updated_at',
] as const;

export const productByIdQuery = (k: CatalogKysely, id: string) =>
  k.selectFrom('catalog.products as p').select(PRODUCT_COLUMNS).where('p.id', '=', id);

export const productBySlugQuery = (k: CatalogKysely, slug: string) =>
  k.selectFrom('catalog.products as p').select(PRODUCT_COLUMNS).where('p.slug', '=', slug);

export const variantsOfProductsQuery = (k: CatalogKysely, productIds: readonly string[]) =>
  k
    .selectFrom('catalog.variants')
    .selectAll()
    .where(sql<boolean>`product_id = any(${[...productIds]}::uuid[])`)
    .orderBy('product_id')
    .orderBy('position')
    .orderBy('sku');

const tsQuery = (q: string) => sql`websearch_to_tsquery('english', ${q})`;

/**
 * ts_rank is a float4; scaled to an integer it compares exactly after a round trip through the
 * cursor, so the relevance keyset neither skips nor repeats rows.
 */
const rankKey = (q: string): RawBuilder<number> => sql<number>`floor(ts_rank(p.search, ${tsQuery(q)}) * 1000000)::bigint`;

/** One page of active products plus one extra row, which tells whether a next page exists. */
export function productPageQuery(k: CatalogKysely, query: ProductListQuery) {
  if (query.after && query.after.sort !== query.sort) throw new Error(`keyset for ${query.after.sort} used with sort ${query.sort}`);
  if (query.sort === 'relevance' && !query.q) throw new Error('sort relevance needs q');
  const q = query.q;
  let qb = k
    .selectFrom('catalog.products as p')
    .select(PRODUCT_COLUMNS)
    .select(q ? rankKey(q).as('rank_key') : sql<number | null>`null::bigint`.as('rank_key'))
    .where('p.status', '=', 'active');

  if (q) qb = qb.where(sql<boolean>`p.search @@ ${tsQuery(q)}`);
  const category = query.category;
  if (category !== undefined) {
    qb = looksLikeUuid(category)
      ? qb.where('p.category_id', '=', category.toLowerCase())
      : qb.where('p.category_id', '=', (eb) => eb.selectFrom('catalog.categories').select('id').where('slug', '=', category));
  }
  if (query.minPrice !== undefined) qb = qb.where('p.min_price_minor', '>=', query.minPrice);
  if (query.maxPrice !== undefined) qb = qb.where('p.min_price_minor', '<=', query.maxPrice);

  const after = query.after;
  if (after) {
    // row comparisons match the composite indexes, so the page starts with an index seek
    switch (after.sort) {
      case 'newest':
        qb = qb.where(sql<boolean>`(p.created_at, p.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`);
        break;
      case 'price_asc':
        qb = qb.where(sql<boolean>`(p.min_price_minor, p.id) > (${after.price}::bigint, ${after.id}::uuid)`);
        break;
      case 'price_desc':
        qb = qb.where(sql<boolean>`(p.min_price_minor, p.id) < (${after.price}::bigint, ${after.id}::uuid)`);
        break;
      case 'name':
        qb = qb.where(sql<boolean>`(p.name, p.id) > (${after.name}::text, ${after.id}::uuid)`);
        break;
      case 'relevance':
        qb = qb.where(sql<boolean>`(${rankKey(q!)}, p.id) < (${after.rank}::bigint, ${after.id}::uuid)`);
        break;
    }
  }

  switch (query.sort) {
    case 'newest':
      qb = qb.orderBy('p.created_at', 'desc').orderBy('p.id', 'desc');
      break;
    case 'price_asc':
      qb = qb.orderBy('p.min_price_minor', 'asc').orderBy('p.id', 'asc');
      break;
    case 'price_desc':
      qb = qb.orderBy('p.min_price_minor', 'desc').orderBy('p.id', 'desc');
      break;
    case 'name':
      qb = qb.orderBy('p.name', 'asc').orderBy('p.id', 'asc');
      break;
    case 'relevance':
      qb = qb.orderBy(sql`rank_key`, 'desc').orderBy('p.id', 'desc');
      break;
  }
  return qb.limit(query.limit + 1);
}
