import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import { createInProcessEventBus } from '../platform/bus/in-process-event-bus.js';
import { migrateAll, type MigrationReport } from '../platform/db/migrate.js';
import { createLogger } from '../platform/telemetry/logger.js';
import { createMetrics } from '../platform/telemetry/metrics.js';
import { createFakePspServer } from '../services/payments/fake-psp/fake-psp-server.js';
import { createCommerceModules } from './commerce-modules.js';
import { openDatabase } from './open-database.js';
import { openEnvelope } from './open-envelope.js';
import { seedDemo, type DemoSeedResult } from './seed-demo.js';

/** One-shot commands share this: open the database and build the modules without serving HTTP. */
async function withCommerce<T>(config: Config, run: (ctx: Awaited<ReturnType<typeof open>>) => Promise<T>): Promise<T> {
  const ctx = await open(config);
  try {
    return await run(ctx);
  } finally {
    await ctx.db.close();
  }
}

async function open(config: Config) {
  const logger = createLogger({ service: 'floodgate-cli', level: config.logLevel === 'info' ? 'warn' : config.logLevel, pretty: config.prettyLogs });
  const envelope = await openEnvelope(config);
  const db = await openDatabase(config);
  // the PSP URL is unused by migrate/seed: nothing is charged
  const commerce = createCommerceModules({ db, bus: createInProcessEventBus(), logger, metrics: createMetrics('floodgate-cli'), envelope, pspUrl: config.pspUrl ?? 'http://127.0.0.1:9' });
  return { db, commerce };
}

export function runMigrations(config: Config): Promise<MigrationReport[]> {
  return withCommerce(config, ({ db, commerce }) => migrateAll(db, commerce.migrations));
}

export function runSeed(config: Config, onProgress: (step: string) => void): Promise<DemoSeedResult> {
  return withCommerce(config, async ({ db, commerce }) => {
    onProgress('migrating');
    await migrateAll(db, commerce.migrations);
    if (config.admin) await commerce.customers.ensureAdmin(config.admin.email, config.admin.password);
    onProgress(`seeding ${config.demoProducts} demo products`);
    return seedDemo(db, commerce, { products: config.demoProducts, dataDir: config.dataDir, configuredAdmin: Boolean(config.admin) });
  });
}

export async function serveFakePsp(config: Config): Promise<{ url: string; stop(): Promise<void> }> {
  const logger = createLogger({ service: 'fake-psp', level: config.logLevel, pretty: config.prettyLogs });
  const psp = await createFakePspServer({ logger, ...(config.fakePspLedgerFile ? { ledgerFile: config.fakePspLedgerFile } : {}) });
  await psp.listen({ host: config.host, port: config.fakePspPort || 4242 });
  return { url: `http://${config.host}:${(psp.server.address() as AddressInfo).port}`, stop: () => psp.close() };
}
