import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Database } from '../platform/db/database.js';
import { seedDemoCatalog } from '../services/catalog/seed-demo-catalog.js';
import type { CommerceModules } from './commerce-modules.js';
import { demoAdminFile } from './demo-admin-file.js';

export interface DemoSeedResult {
  products: number;
  variants: number;
  admin: { email: string; password: string } | undefined;
  /** the demo flash sale, while it is not over */
  flashSale: { id: string; status: string } | undefined;
}

/** units of the demo flash sale, added to its variant's stock and carved out again by the sale */
const DEMO_SALE_UNITS = 300;
const DEMO_SALE_HOURS = 24;

/** Stock per variant is deterministic (20–219 units), so load tests and docs can count on it. */
const demoStock = (index: number) => 20 + ((index * 7919) % 200);

/**
 * Seeds the demo shop once: catalog, stock on every variant, and (when no admin was configured)
 * a demo admin whose generated password is kept in an owner-only file in the data dir.
 */
export async function seedDemo(
  db: Database,
  modules: CommerceModules,
  options: { products: number; dataDir: string; configuredAdmin: boolean; onFirstRun?: () => void },
): Promise<DemoSeedResult> {
  const catalog = await seedDemoCatalog(db, { products: options.products, ...(options.onFirstRun ? { onFirstRun: options.onFirstRun } : {}) });
  // stock is set only when the catalog was created now: a restart must not refill what was sold
  if (catalog.created) {
    // the first variant also stocks the demo flash sale's units
    await modules.inventory.setStock(catalog.variants.map((v, i) => ({ variantId: v.id, onHand: demoStock(i) + (i === 0 ? DEMO_SALE_UNITS : 0) })));
  }
  const flashSale = await demoFlashSale(modules, catalog.variants[0]?.id, catalog.created);

  let admin: DemoSeedResult['admin'];
  if (!options.configuredAdmin) {
    admin = demoAdmin(options.dataDir);
    await modules.customers.ensureAdmin(admin.email, admin.password);
  }
  return { products: catalog.products, variants: catalog.variants.length, admin, flashSale };
}

/**
 * One live flash sale on the first start, for 24 hours: half the price of the first demo variant,
 * created through the sale's own use case (so its units are carved out of the stock like any
 * sale's). Guests may join, so the walkthrough needs no registration. Later starts find it again.
 */
async function demoFlashSale(modules: CommerceModules, variantId: string | undefined, firstRun: boolean): Promise<DemoSeedResult['flashSale']> {
  if (!variantId) return undefined;
  const existing = (await modules.flashSales.openSales()).find((s) => s.variantId === variantId);
  if (existing) return { id: existing.id, status: existing.status };
  if (!firstRun) return undefined;
  const [variant] = await modules.catalog.client.getVariants([variantId]);
  if (!variant) return undefined;
  const now = Date.now();
  const created = await modules.flashSales.createSale({
    variantId,
    price: { amount: Math.max(1, Math.round(variant.price.amount / 2)), currency: variant.price.currency },
    quantity: DEMO_SALE_UNITS,
    startsAt: new Date(now),
    endsAt: new Date(now + DEMO_SALE_HOURS * 3_600_000),
    perCustomerLimit: 2,
    admissionRatePerSecond: 20,
    allowGuests: true,
  });
  if (!created.ok) throw new Error(`demo flash sale not created: ${created.code}`);
  return { id: created.sale.id, status: created.sale.status };
}

function demoAdmin(dataDir: string): { email: string; password: string } {
  const file = demoAdminFile(dataDir);
  if (existsSync(file)) {
    // a copy restored from a backup or an archive may have lost its mode: the file holds an admin password
    chmodSync(file, 0o600);
    return JSON.parse(readFileSync(file, 'utf8')) as { email: string; password: string };
  }
  const admin = { email: 'admin@floodgate.local', password: randomBytes(12).toString('base64url') };
  mkdirSync(dataDir, { recursive: true });
  // mode applies only when the file is created, and the umask may narrow it but never widen it
  writeFileSync(file, JSON.stringify(admin, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return admin;
}
