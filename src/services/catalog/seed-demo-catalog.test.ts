import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Database } from '../../platform/db/database.js';
import { catalogMigrations } from './catalog-migrations.js';
import { DEMO_PRODUCT_ID, DEMO_PRODUCT_SLUG, seedDemoCatalog } from './seed-demo-catalog.js';
import { createSqlCatalogStore } from './storage/sql-catalog-store.js';
import { createMigratedPglite } from '../../../test/support/databases.js';

async function freshDatabase(): Promise<Database> {
  const db = await createMigratedPglite([catalogMigrations]);
  return db;
}

async function snapshot(db: Database) {
  const store = createSqlCatalogStore(db);
  const page = await store.listProducts({ sort: 'name', limit: 100 });
  return { categories: await store.listCategories(), products: page.products.map(({ createdAt, updatedAt, ...rest }) => ({ ...rest, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() })) };
}

describe('demo catalog seed', () => {
  it('when two fresh databases are seeded, then names, slugs, prices and ids are identical', async () => {
    const [a, b] = [await freshDatabase(), await freshDatabase()];
    try {
      const [seedA, seedB] = [await seedDemoCatalog(a, { products: 300 }), await seedDemoCatalog(b, { products: 300 })];
      expect(seedA).toEqual(seedB);
      expect(seedA).toMatchObject({ created: true, products: 300, categories: 12 });
      expect(seedA.variants.length).toBeGreaterThanOrEqual(300);
      expect(seedA.variants.length).toBeLessThanOrEqual(900);
      // ids must be real uuids, accepted wherever the API validates one
      for (const v of seedA.variants) expect(z.uuid().safeParse(v.id).success, v.id).toBe(true);
      expect(await snapshot(a)).toEqual(await snapshot(b));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('when the catalog already has products, then seeding again writes nothing and returns the existing variants', async () => {
    const db = await freshDatabase();
    try {
      const first = await seedDemoCatalog(db, { products: 50 });
      const again = await seedDemoCatalog(db, { products: 500 });
      expect(again).toEqual({ ...first, created: false });
      expect(again.products).toBe(50);
    } finally {
      await db.close();
    }
  });

  it('when seeded, then the demo product exists and shoppers can search everyday words like jacket and coffee', async () => {
    const db = await freshDatabase();
    try {
      await seedDemoCatalog(db, { products: 600 });
      const store = createSqlCatalogStore(db);
      const demo = await store.findProductBySlug(DEMO_PRODUCT_SLUG);
      expect(demo?.id).toBe(DEMO_PRODUCT_ID);
      expect(demo?.variants.length).toBeGreaterThan(0);
      for (const word of ['jacket', 'coffee', 'merino']) {
        const page = await store.listProducts({ q: word, sort: 'relevance', limit: 5 });
        expect(page.products.length, word).toBeGreaterThan(0);
        expect(page.products.every((p) => `${p.name} ${p.description}`.toLowerCase().includes(word)), word).toBe(true);
      }
      const categories = await store.listCategories();
      expect(categories.map((c) => c.slug)).toContain('coffee-tea');
      const inCategory = await store.listProducts({ category: 'coffee-tea', sort: 'price_asc', limit: 100 });
      expect(inCategory.products.length).toBe(50);
      expect(inCategory.products.every((p) => p.currency === 'USD' && p.minPrice > 0)).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('when seeded, then the catalog tables already have planner statistics (ANALYZE ran)', async () => {
    const db = await freshDatabase();
    try {
      const analysed = async () => {
        const { rows } = await sql<{ table: string }>`select distinct tablename as table from pg_stats where schemaname = 'catalog' order by 1`.execute(db.kysely);
        return rows.map((r) => r.table);
      };
      expect(await analysed()).toEqual([]);
      await seedDemoCatalog(db, { products: 100 });
      expect(await analysed()).toEqual(['categories', 'products', 'variants']);
    } finally {
      await db.close();
    }
  });
});
