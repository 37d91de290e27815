import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import { nameBasedUuid, slugify } from './catalog-ids.js';
import { CLOSINGS, DEMO_CATEGORIES, VARIANT_KINDS, type DemoCategory } from './demo-catalog-words.js';
import type { CatalogBatch, NewCategory, NewProduct } from './storage/catalog-store.js';
import { createSqlCatalogStore } from './storage/sql-catalog-store.js';

/** The one demo product docs and demos can rely on: always product #0, always in the catalog. */
export const DEMO_PRODUCT_SLUG = 'floodgate-launch-edition-hoodie';
export const DEMO_PRODUCT_ID = nameBasedUuid('product:0');

export interface DemoCatalogResult {
  /** every variant, ordered by sku (product order), so callers can derive stock by index */
  variants: Array<{ id: string; sku: string }>;
  categories: number;
  products: number;
  /** false when the catalog already had products and nothing was written */
  created: boolean;
}

// seeded products are spread one minute apart, newest first, ending at a fixed moment
const NEWEST_AT = Date.UTC(2025, 0, 15, 12, 0, 0);

/** Small deterministic PRNG (mulberry32), seeded per product so product #i never depends on the count. */
function randomFor(key: string) {
  let state = createHash('sha1').update(key).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
/** prices end in .99, as shoppers expect */
const toCharmPrice = (dollars: number) => Math.max(99, Math.round(dollars) * 100 - 1);

const categoryOf = (c: DemoCategory, position: number): NewCategory => ({ id: nameBasedUuid(`category:${c.slug}`), slug: c.slug, name: c.name, position });

interface Draft {
  name: string;
  category: DemoCategory;
  description: string;
  variants: Array<{ title: string; amount: number }>;
}

function draftProduct(index: number): Draft {
  if (index === 0) {
    const category = DEMO_CATEGORIES.find((c) => c.slug === 'tops')!;
    return {
      name: 'Floodgate Launch Edition Hoodie',
      category,
      description: 'The hoodie from our launch day: heavyweight organic cotton, a relaxed fit and a kangaroo pocket. Made in a limited run. Free returns within 30 days.',
      variants: [
        { title: 'Size S', amount: 5999 },
        { title: 'Size M', amount: 5999 },
        { title: 'Size L', amount: 6499 },
      ],
    };
  }
  const rand = randomFor(`product:${index}`);
  const category = DEMO_CATEGORIES[index % DEMO_CATEGORIES.length]!;
  const item = pick(rand, category.items);
  const adjective = pick(rand, category.adjectives);
  const material = pick(rand, category.materials);
  const [first, second] = [pick(rand, category.features), pick(rand, category.features)];
  const features = first === second ? [first] : [first, second];
  const description = `${material} ${item.noun.toLowerCase()} from our ${adjective} line. ${features.join('. ')}. ${pick(rand, CLOSINGS)}`;
  const base = item.price[0] + rand() * (item.price[1] - item.price[0]);
  const kind = VARIANT_KINDS[item.kind];
  const count = 1 + Math.floor(rand() * 3);
  const start = Math.floor(rand() * (kind.titles.length - count + 1));
  const variants = Array.from({ length: count }, (_, k) => ({
    title: kind.titles[start + k]!,
    amount: toCharmPrice(base * kind.factors[start + k]!),
  }));
  return { name: `${adjective} ${material} ${item.noun}`, category, description, variants };
}

/** Pure and deterministic: the same count yields the same names, slugs, prices and ids, everywhere. */
export function buildDemoCatalog(products: number): CatalogBatch {
  const categories = DEMO_CATEGORIES.map(categoryOf);
  const slugCounts = new Map<string, number>();
  const rows: NewProduct[] = [];
  for (let i = 0; i < products; i++) {
    const draft = draftProduct(i);
    const base = slugify(draft.name);
    const seen = (slugCounts.get(base) ?? 0) + 1;
    slugCounts.set(base, seen);
    const id = nameBasedUuid(`product:${i}`);
    const number = String(i).padStart(6, '0');
    rows.push({
      id,
      slug: seen === 1 ? base : `${base}-${seen}`,
      name: draft.name,
      description: draft.description,
      categoryId: nameBasedUuid(`category:${draft.category.slug}`),
      currency: 'USD',
      createdAt: new Date(NEWEST_AT - i * 60_000),
      variants: draft.variants.map((v, k) => {
        const sku = `FG-${number}-${k + 1}`;
        return { id: nameBasedUuid(`variant:${sku}`), sku, title: v.title, price: { amount: v.amount, currency: 'USD' }, position: k };
      }),
    });
  }
  return { categories, products: rows };
}

/**
 * Seeds the demo catalog once. Idempotent: a catalog that already has products is left alone
 * (a restart must not undo an admin's edits), and its variants are returned as they are.
 */
export async function seedDemoCatalog(db: Database, options: { products: number; onFirstRun?: () => void }): Promise<DemoCatalogResult> {
  const store = createSqlCatalogStore(db);
  const empty = (await store.countProducts()) === 0;
  if (empty) options.onFirstRun?.();
  const created = empty && (await store.insertBatchIfEmpty(buildDemoCatalog(options.products)));
  // Fresh tables have no statistics: PGlite never autovacuums, and PostgreSQL's autovacuum may take
  // a minute to notice the bulk load. Until then the planner guesses row counts and can pick a
  // sequential scan over the indexes built for the list queries; ANALYZE makes the first request
  // after the seed plan like every later one.
  if (created) await sql`analyze catalog.categories, catalog.products, catalog.variants`.execute(db.kysely);
  const [variants, categories, products] = await Promise.all([store.listVariantIds(), store.countCategories(), store.countProducts()]);
  return { variants, categories, products, created };
}
