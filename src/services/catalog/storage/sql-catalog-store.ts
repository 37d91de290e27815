import { sql, type Selectable } from 'kysely';
import type { Database } from '../../../platform/db/database.js';
import { primaryOnly, type ReadRouting } from '../../../platform/db/read-routing.js';
import { looksLikeUuid } from '../catalog-ids.js';
import type { VariantSnapshot } from '../contract/catalog-client.js';
import type {
  CatalogBatch,
  CatalogStatus,
  CatalogStore,
  CategoryRecord,
  InsertCategoryResult,
  InsertProductResult,
  NewProduct,
  ProductKeyset,
  ProductListQuery,
  ProductPage,
  ProductPatch,
  ProductRecord,
  UpdateProductResult,
  VariantRecord,
} from './catalog-store.js';
import {
  catalogKysely,
  productByIdQuery,
  productBySlugQuery,
  productPageQuery,
  variantsOfProductsQuery,
  type CatalogKysely,
  type ProductRow,
  type VariantRow,
} from './product-queries.js';

type ProductColumns = Omit<Selectable<ProductRow>, 'search'>;

// any constant works; it only has to differ from other advisory locks in this database
const SEED_LOCK_KEY = 7_261_000_001;
// keeps every multi-row insert far below PostgreSQL's 65,535 bind parameters
const PRODUCT_BATCH = 400;
const VARIANT_BATCH = 1_000;

const toVariant = (row: Selectable<VariantRow>): VariantRecord => ({
  id: row.id,
  productId: row.product_id,
  sku: row.sku,
  title: row.title,
  price: { amount: row.price_minor, currency: row.currency },
  status: row.status as CatalogStatus,
  position: row.position,
});

const toProduct = (row: ProductColumns, variants: VariantRecord[]): ProductRecord => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  description: row.description,
  categoryId: row.category_id,
  status: row.status as CatalogStatus,
  currency: row.currency,
  minPrice: row.min_price_minor,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  variants,
});

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}
const pgError = (err: unknown): PgError => (typeof err === 'object' && err !== null ? (err as PgError) : {});

const productValues = (p: NewProduct) => ({
  id: p.id,
  slug: p.slug,
  name: p.name,
  description: p.description,
  category_id: p.categoryId,
  currency: p.currency,
  // written here as well as by the trigger, so a fresh product is never briefly priced at 0
  min_price_minor: Math.min(...p.variants.map((v) => v.price.amount)),
  ...(p.createdAt ? { created_at: p.createdAt, updated_at: p.createdAt } : {}),
});

const variantValues = (p: NewProduct) =>
  p.variants.map((v) => ({
    id: v.id,
    product_id: p.id,
    sku: v.sku,
    title: v.title,
    price_minor: v.price.amount,
    currency: v.price.currency,
    position: v.position,
  }));

/** the sku another request inserted between our check and our insert: `Key (sku)=(ABC-1) already exists.` */
const takenSku = (err: unknown, product: NewProduct) =>
  /\(sku\)=\((.*)\) already exists/.exec(pgError(err).detail ?? '')?.[1] ?? product.variants[0]?.sku ?? '';

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** the read-your-writes key of catalog writes: they are rare (admins), so after one every catalog read is current for the window */
export const CATALOG_WRITER = 'catalog';

/** `reads`: where lists and product pages go (a replica when configured); every write and the reads inside it use `db` */
export function createSqlCatalogStore(db: Database, reads: ReadRouting = primaryOnly(db)): CatalogStore {
  const k = catalogKysely(db);
  const lagTolerant = <T>(work: (r: CatalogKysely) => Promise<T>) => reads.read(CATALOG_WRITER, (from) => work(catalogKysely(from)));
  /** the catalog changes: its reads stay on the primary for the window */
  const writing = () => reads.wrote(CATALOG_WRITER);

  const withVariants = async (rows: ProductColumns[], from: CatalogKysely = k): Promise<ProductRecord[]> => {
    if (rows.length === 0) return [];
    const variantRows = await variantsOfProductsQuery(from, rows.map((r) => r.id)).execute();
    const byProduct = new Map<string, VariantRecord[]>();
    for (const v of variantRows) {
      const list = byProduct.get(v.product_id) ?? [];
      list.push(toVariant(v));
      byProduct.set(v.product_id, list);
    }
    return rows.map((r) => toProduct(r, byProduct.get(r.id) ?? []));
  };

  const findOne = async (row: ProductColumns | undefined, from: CatalogKysely = k) => (row ? (await withVariants([row], from))[0] : undefined);

  const findProductById = async (id: string) =>
    looksLikeUuid(id) ? lagTolerant(async (r) => findOne(await productByIdQuery(r, id.toLowerCase()).executeTakeFirst(), r)) : undefined;

  const keysetOf = (query: ProductListQuery, row: ProductColumns & { rank_key: number | null }): ProductKeyset => {
    switch (query.sort) {
      case 'newest':
        return { sort: 'newest', createdAt: row.created_at.toISOString(), id: row.id };
      case 'price_asc':
      case 'price_desc':
        return { sort: query.sort, price: row.min_price_minor, id: row.id };
      case 'name':
        return { sort: 'name', name: row.name, id: row.id };
      case 'relevance':
        return { sort: 'relevance', rank: Number(row.rank_key), id: row.id };
    }
  };

  const insertProductRows = async (trx: CatalogKysely, products: NewProduct[]) => {
    for (const batch of chunks(products, PRODUCT_BATCH)) await trx.insertInto('catalog.products').values(batch.map(productValues)).execute();
    const variants = products.flatMap(variantValues);
    for (const batch of chunks(variants, VARIANT_BATCH)) await trx.insertInto('catalog.variants').values(batch).execute();
  };

  return {
    async listCategories() {
      const rows = await lagTolerant((r) => r.selectFrom('catalog.categories').select(['id', 'slug', 'name', 'position']).orderBy('position').orderBy('name').execute());
      return rows satisfies CategoryRecord[];
    },

    async insertCategory(category): Promise<InsertCategoryResult> {
      writing();
      try {
        await k.insertInto('catalog.categories').values(category).execute();
        return { ok: true, category: { ...category } };
      } catch (err) {
        if (pgError(err).code === '23505') return { ok: false, code: 'CATALOG_CATEGORY_SLUG_TAKEN' };
        throw err;
      }
    },

    findProductById,

    findProductBySlug: (slug) => lagTolerant(async (r) => findOne(await productBySlugQuery(r, slug).executeTakeFirst(), r)),

    listProducts: (query): Promise<ProductPage> => lagTolerant(async (r) => {
      const rows = await productPageQuery(r, query).execute();
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return { products: await withVariants(page, r), next: rows.length > query.limit && last ? keysetOf(query, last) : null };
    }),

    async insertProduct(product): Promise<InsertProductResult> {
      writing();
      try {
        const outcome = await k.transaction().execute(async (trx) => {
          // checked first so the answer can name the sku; the unique constraint still guards races
          const taken = await trx.selectFrom('catalog.variants').select('sku').where('sku', 'in', product.variants.map((v) => v.sku)).orderBy('sku').executeTakeFirst();
          if (taken) return { ok: false as const, code: 'CATALOG_SKU_TAKEN' as const, sku: taken.sku };
          await insertProductRows(trx, [product]);
          return { ok: true as const };
        });
        if (!outcome.ok) return outcome;
      } catch (err) {
        const { code, constraint } = pgError(err);
        if (code === '23505' && constraint === 'products_slug_key') return { ok: false, code: 'CATALOG_PRODUCT_SLUG_TAKEN' };
        if (code === '23505' && constraint === 'variants_sku_key') return { ok: false, code: 'CATALOG_SKU_TAKEN', sku: takenSku(err, product) };
        if (code === '23503') return { ok: false, code: 'CATALOG_CATEGORY_NOT_FOUND' };
        throw err;
      }
      const stored = await findOne(await productByIdQuery(k, product.id).executeTakeFirst());
      if (!stored) throw new Error(`product ${product.id} vanished right after insert`);
      return { ok: true, product: stored };
    },

    async updateProduct(id, patch: ProductPatch): Promise<UpdateProductResult> {
      if (!looksLikeUuid(id)) return { ok: false, code: 'CATALOG_PRODUCT_NOT_FOUND' };
      writing();
      try {
        const outcome = await k.transaction().execute(async (trx): Promise<UpdateProductResult | { ok: true }> => {
          const product = await trx.selectFrom('catalog.products').select(['id', 'currency']).where('id', '=', id).forUpdate().executeTakeFirst();
          if (!product) return { ok: false, code: 'CATALOG_PRODUCT_NOT_FOUND' };
          const variantPatches = patch.variants ?? [];
          // every check happens before the first write: returning a refusal commits the transaction
          if (variantPatches.length > 0) {
            const own = await trx.selectFrom('catalog.variants').select('id').where('product_id', '=', id).execute();
            const ownIds = new Set(own.map((v) => v.id));
            for (const v of variantPatches) {
              if (!ownIds.has(v.id.toLowerCase())) return { ok: false, code: 'CATALOG_VARIANT_NOT_FOUND', variantId: v.id };
              if (v.price && v.price.currency !== product.currency) {
                return { ok: false, code: 'CATALOG_CURRENCY_MISMATCH', variantId: v.id, currency: product.currency };
              }
            }
          }
          await trx
            .updateTable('catalog.products')
            .set({
              ...(patch.name !== undefined ? { name: patch.name } : {}),
              ...(patch.description !== undefined ? { description: patch.description } : {}),
              ...(patch.categoryId !== undefined ? { category_id: patch.categoryId } : {}),
              updated_at: sql<Date>`now()`,
            })
            .where('id', '=', id)
            .execute();
          for (const v of variantPatches) {
            if (v.title === undefined && v.price === undefined) continue;
            await trx
              .updateTable('catalog.variants')
              .set({
                ...(v.title !== undefined ? { title: v.title } : {}),
                ...(v.price !== undefined ? { price_minor: v.price.amount } : {}),
                updated_at: sql<Date>`now()`,
              })
              .where('id', '=', v.id.toLowerCase())
              .where('product_id', '=', id)
              .execute();
          }
          return { ok: true };
        });
        if (!outcome.ok) return outcome;
      } catch (err) {
        if (pgError(err).code === '23503') return { ok: false, code: 'CATALOG_CATEGORY_NOT_FOUND' };
        throw err;
      }
      const stored = await findProductById(id);
      return stored ? { ok: true, product: stored } : { ok: false, code: 'CATALOG_PRODUCT_NOT_FOUND' };
    },

    async archiveProduct(id) {
      if (!looksLikeUuid(id)) return undefined;
      writing();
      const row = await k
        .updateTable('catalog.products')
        .set({ status: 'archived', updated_at: sql<Date>`now()` })
        .where('id', '=', id.toLowerCase())
        .returning('id')
        .executeTakeFirst();
      return row ? findProductById(row.id) : undefined;
    },

    async getVariants(ids): Promise<VariantSnapshot[]> {
      const wanted = [...new Set(ids.filter(looksLikeUuid).map((id) => id.toLowerCase()))];
      if (wanted.length === 0) return [];
      const rows = await k
        .selectFrom('catalog.variants as v')
        .innerJoin('catalog.products as p', 'p.id', 'v.product_id')
        .select(['v.id', 'v.product_id', 'v.sku', 'v.title', 'v.price_minor', 'v.currency', 'v.status', 'p.name as product_name', 'p.status as product_status'])
        .where(sql<boolean>`v.id = any(${wanted}::uuid[])`)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        productId: r.product_id,
        sku: r.sku,
        title: r.title,
        productName: r.product_name,
        price: { amount: r.price_minor, currency: r.currency },
        purchasable: r.status === 'active' && r.product_status === 'active',
      }));
    },

    async countProducts() {
      const row = await k.selectFrom('catalog.products').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
      return row.n;
    },

    async countCategories() {
      const row = await k.selectFrom('catalog.categories').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
      return row.n;
    },

    insertBatchIfEmpty(batch: CatalogBatch) {
      writing();
      return k.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`.execute(trx);
        const existing = await trx.selectFrom('catalog.products').select('id').limit(1).executeTakeFirst();
        if (existing) return false;
        // categories may exist without products (seeded with products: 0, or made by an admin)
        if (batch.categories.length > 0) await trx.insertInto('catalog.categories').values(batch.categories).onConflict((oc) => oc.doNothing()).execute();
        await insertProductRows(trx, batch.products);
        return true;
      });
    },

    // byte order, so the answer is the same on PGlite (C collation) and PostgreSQL (often en_US)
    listVariantIds: () => k.selectFrom('catalog.variants').select(['id', 'sku']).orderBy(sql`sku collate "C"`).execute(),
  };
}
