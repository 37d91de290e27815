import { CompiledQuery, sql, type Compilable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters, type TestDatabase } from '../../../../test/support/databases.js';
import { nameBasedUuid } from '../catalog-ids.js';
import { catalogMigrations } from '../catalog-migrations.js';
import { DEMO_PRODUCT_SLUG, seedDemoCatalog } from '../seed-demo-catalog.js';
import { createSqlCatalogStore } from './sql-catalog-store.js';
import { catalogKysely, productBySlugQuery, productPageQuery, variantsOfProductsQuery, type CatalogKysely } from './product-queries.js';

/**
 * The hot read paths must be index scans on a realistically sized catalog: a sequential scan is
 * fine on 50 rows and a disaster at 100× traffic on 100,000. PostgreSQL only, because its planner
 * and statistics (after ANALYZE) are what production runs; docs/catalog-queries.md shows the plans.
 */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const flatten = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(flatten)];

const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;

describe.skipIf(!postgres.available)('catalog query plans on postgresql', () => {
  let database: TestDatabase;
  let k: CatalogKysely;
  let demoIds: string[];
  const small = { id: nameBasedUuid('category:plan-test-limited'), slug: 'limited-editions', name: 'Limited Editions', position: 99 };

  beforeAll(async () => {
    database = await postgres.create([catalogMigrations]);
    k = catalogKysely(database.db);
    await seedDemoCatalog(database.db, { products: 3000 });
    // a small category next to the twelve big ones: the case the category index exists for
    const store = createSqlCatalogStore(database.db);
    await store.insertCategory(small);
    for (let i = 0; i < 5; i++) {
      const sku = `LTD-${i}`;
      await store.insertProduct({
        id: nameBasedUuid(`plan-test:${i}`),
        slug: `limited-${i}`,
        name: `Limited Print ${i}`,
        description: 'Signed and numbered',
        categoryId: small.id,
        currency: 'USD',
        variants: [{ id: nameBasedUuid(sku), sku, title: 'Print', price: { amount: 9900, currency: 'USD' }, position: 0 }],
      });
    }
    await sql`analyze catalog.categories, catalog.products, catalog.variants`.execute(k);
    demoIds = (await k.selectFrom('catalog.products').select('id').orderBy('id').limit(20).execute()).map((r) => r.id);
  });
  afterAll(() => database?.dispose());

  const plan = async (query: Compilable) => {
    const compiled = query.compile();
    const { rows } = await k.executeQuery<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      CompiledQuery.raw(`explain (format json) ${compiled.sql}`, [...compiled.parameters]),
    );
    return flatten(rows[0]!['QUERY PLAN'][0]!.Plan);
  };

  /** no sequential scan of products or variants, and one of `indexes` serves the query */
  const expectIndexed = async (query: Compilable, ...indexes: string[]) => {
    const nodes = await plan(query);
    const summary = nodes.map((n) => `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`).join(' > ');
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan' && (n['Relation Name'] === 'products' || n['Relation Name'] === 'variants')), summary).toEqual([]);
    expect(nodes.some((n) => n['Index Name'] !== undefined && indexes.includes(n['Index Name'])), summary).toBe(true);
  };

  const coffee = nameBasedUuid('category:coffee-tea');

  it('when a product page is opened by slug, then the slug index finds it', async () => {
    await expectIndexed(productBySlugQuery(k, DEMO_PRODUCT_SLUG), 'products_slug_key');
  });

  it('when the newest page of a big category is listed (by id or slug), then an index serves it in order', async () => {
    // a twelfth of the catalog, stored in created_at order: walking the newest index and skipping
    // other categories touches few, adjacent pages, so the planner may rightly prefer it
    const eitherIndex = ['products_category_status_created_idx', 'products_status_created_idx'];
    await expectIndexed(productPageQuery(k, { category: coffee, sort: 'newest', limit: 20 }), ...eitherIndex);
    await expectIndexed(productPageQuery(k, { category: 'coffee-tea', sort: 'newest', limit: 20 }), ...eitherIndex);
    const after = { sort: 'newest' as const, createdAt: '2025-01-14T12:00:00.000Z', id: coffee };
    await expectIndexed(productPageQuery(k, { category: coffee, sort: 'newest', limit: 20, after }), ...eitherIndex);
  });

  it('when the newest page of a small category is listed, then the category index goes straight to its rows', async () => {
    await expectIndexed(productPageQuery(k, { category: small.id, sort: 'newest', limit: 20 }), 'products_category_status_created_idx');
  });

  it('when shoppers search, then the GIN index on the search vector finds the matches', async () => {
    await expectIndexed(productPageQuery(k, { q: 'jacket', sort: 'relevance', limit: 20 }), 'products_search_idx');
    await expectIndexed(productPageQuery(k, { q: 'single origin coffee -decaf', sort: 'relevance', limit: 20 }), 'products_search_idx');
  });

  it('when the whole catalog is browsed by newest, price or name, then each sort has its index', async () => {
    await expectIndexed(productPageQuery(k, { sort: 'newest', limit: 20 }), 'products_status_created_idx');
    await expectIndexed(productPageQuery(k, { sort: 'price_asc', limit: 20, after: { sort: 'price_asc', price: 5000, id: coffee } }), 'products_status_price_idx');
    await expectIndexed(productPageQuery(k, { sort: 'price_desc', limit: 20 }), 'products_status_price_idx');
    await expectIndexed(productPageQuery(k, { sort: 'name', limit: 20, after: { sort: 'name', name: 'M', id: coffee } }), 'products_status_name_idx');
  });

  it('when a page loads its variants, then the variants index is used', async () => {
    await expectIndexed(variantsOfProductsQuery(k, demoIds), 'variants_product_idx');
  });
});
