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
}

/** Stock per variant is deterministic (20–219 units), so load tests and docs can count on it. */
const demoStock = (index: number) => 20 + ((index * 7919) % 200);

/**
 * Seeds the demo shop once: catalog, stock on every variant, and (when no admin was configured)
 * a demo admin whose generated password is kept in an owner-only file in the data dir.
 */
export async function seedDemo(
  db: Database,
  modules: CommerceModules,
  options: { products: number; dataDir: string; configuredAdmin: boolean },
): Promise<DemoSeedResult> {
  const catalog = await seedDemoCatalog(db, { products: options.products });
  // stock is set only when the catalog was created now: a restart must not refill what was sold
  if (catalog.created) await modules.inventory.setStock(catalog.variants.map((v, i) => ({ variantId: v.id, onHand: demoStock(i) })));

  let admin: DemoSeedResult['admin'];
  if (!options.configuredAdmin) {
    admin = demoAdmin(options.dataDir);
    await modules.customers.ensureAdmin(admin.email, admin.password);
  }
  return { products: catalog.products, variants: catalog.variants.length, admin };
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
