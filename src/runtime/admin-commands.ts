import type { AddressInfo } from 'node:net';
import type { Config } from '../config.js';
import { auditEntry, SYSTEM_AUDIT_CONTEXT } from '../platform/audit/audit-log.js';
import type { RewrapReport } from '../platform/service.js';
import { createInProcessEventBus } from '../platform/bus/in-process-event-bus.js';
import { listParkedEvents, requeueParkedEvents, type ParkedEvent } from '../platform/bus/outbox-parking.js';
import { migrateAll, type MigrationReport } from '../platform/db/migrate.js';
import { secureDataDir } from '../platform/db/secure-data-dir.js';
import { createLogger } from '../platform/telemetry/logger.js';
import { createMetrics } from '../platform/telemetry/metrics.js';
import { createFakePspServer } from '../services/payments/fake-psp/fake-psp-server.js';
import { createCommerceModules } from './commerce-modules.js';
import { openDatabase } from './open-database.js';
import { openEnvelope } from './open-envelope.js';
import { dataDirInUse, restrictNewFiles } from './data-dir-guard.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { checkDataDir, databaseOpenFailure } from './startup-checks.js';
import { seedDemo, type DemoSeedResult } from './seed-demo.js';

/** One-shot commands share this: open the database and build the modules without serving HTTP. */
async function withCommerce<T>(config: Config, run: (ctx: Awaited<ReturnType<typeof open>>) => Promise<T>): Promise<T> {
  // the embedded database allows one process: a running shop on this data dir refuses the command
  if (!config.databaseUrl) checkDataDir(config.dataDir);
  const lock = config.databaseUrl ? undefined : acquireDataDirLock(config.dataDir);
  try {
    const ctx = await open(config);
    try {
      return await run(ctx);
    } finally {
      await ctx.db.close();
    }
  } finally {
    lock?.release();
  }
}

async function open(config: Config) {
  const logger = createLogger({ service: 'floodgate-cli', level: config.logLevel === 'info' ? 'warn' : config.logLevel, pretty: config.prettyLogs });
  restrictNewFiles();
  const guardDataDir = dataDirInUse(config);
  if (guardDataDir) await secureDataDir(config.dataDir);
  const envelope = await openEnvelope(config);
  const db = await openDatabase(config).catch((err: unknown) => {
    throw databaseOpenFailure(err, config);
  });
  if (guardDataDir) await secureDataDir(config.dataDir);
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

/** `floodgate keys rotate`: new tokens are signed with a fresh key; the previous one stays published. */
export function rotateSigningKey(config: Config) {
  return withCommerce(config, async ({ db, commerce }) => {
    await migrateAll(db, commerce.migrations);
    return commerce.customers.rotateSigningKey();
  });
}

/** `floodgate keys retire <kid>`: the key leaves the JWKS, and every token it signed stops verifying. */
export function retireSigningKey(config: Config, kid: string) {
  return withCommerce(config, async ({ db, commerce }) => {
    await migrateAll(db, commerce.migrations);
    return commerce.customers.retireSigningKey(kid);
  });
}

/**
 * `floodgate keys rewrap`, after FLOODGATE_KEY_ENCRYPTION_KEY changed (old key moved to
 * FLOODGATE_PREVIOUS_KEY_ENCRYPTION_KEYS): every service that keeps sealed values re-wraps them
 * with the current key, so the previous one can then be dropped.
 */
export function rewrapSecrets(config: Config): Promise<RewrapReport[]> {
  return withCommerce(config, async ({ db, commerce }) => {
    await migrateAll(db, commerce.migrations);
    const reports: RewrapReport[] = [];
    for (const module of commerce.modules) if (module.rewrap) reports.push(...[await module.rewrap()].flat());
    // one entry for the whole run: who re-wrapped (the operator, via the CLI) and how much moved
    const scanned = reports.reduce((n, r) => n + r.scanned, 0);
    const rewrapped = reports.reduce((n, r) => n + r.rewrapped, 0);
    await commerce.audit.record(auditEntry(SYSTEM_AUDIT_CONTEXT, 'secrets.rewrapped', null, { scanned, rewrapped }));
    return reports;
  });
}

/** the schemas that have an outbox; anything else is refused before a query is built from it */
function outboxSchema(commerce: Awaited<ReturnType<typeof open>>['commerce'], schema: string): string {
  const known = commerce.migrations.filter((m) => m.outbox).map((m) => m.schema);
  if (!known.includes(schema)) throw new Error(`no outbox named ${schema}; outboxes: ${known.join(', ')}`);
  return schema;
}

/** `floodgate outbox parked <schema>`: the events the relay gave up on, with why. */
export function listParked(config: Config, schema: string): Promise<ParkedEvent[]> {
  return withCommerce(config, ({ db, commerce }) => listParkedEvents(db, outboxSchema(commerce, schema), { limit: 1_000 }));
}

/** `floodgate outbox requeue <schema> [ids…]`: parked events get a fresh set of attempts; a running relay picks them up on its next poll. */
export function requeueParked(config: Config, schema: string, ids: string[]): Promise<number> {
  return withCommerce(config, ({ db, commerce }) => requeueParkedEvents(db, outboxSchema(commerce, schema), ids.length ? { ids } : {}));
}

export async function serveFakePsp(config: Config): Promise<{ url: string; stop(): Promise<void> }> {
  const logger = createLogger({ service: 'fake-psp', level: config.logLevel, pretty: config.prettyLogs });
  const psp = await createFakePspServer({ logger, ...(config.fakePspLedgerFile ? { ledgerFile: config.fakePspLedgerFile } : {}) });
  await psp.listen({ host: config.host, port: config.fakePspPort || 4242 });
  return { url: `http://${config.host}:${(psp.server.address() as AddressInfo).port}`, stop: () => psp.close() };
}
