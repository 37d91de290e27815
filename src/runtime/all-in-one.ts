import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DestinationStream, Logger } from 'pino';
import { requireStartSettings, type Config } from '../config.js';
import { collectGarbage } from '../platform/collect-garbage.js';
import { outboxBacklogsOf, outboxParkedOf, registerOutboxBacklogGauge, registerOutboxParkedGauge } from '../platform/bus/outbox-backlog-gauge.js';
import type { Database } from '../platform/db/database.js';
import { migrateAll } from '../platform/db/migrate.js';
import { secureDataDir } from '../platform/db/secure-data-dir.js';
import { createHttpApp } from '../platform/http/create-http-app.js';
import { trackConnections } from '../platform/http/drain-connections.js';
import type { ServedRoute } from '../platform/http/route-inventory.js';
import type { Worker } from '../platform/service.js';
import { createLogger } from '../platform/telemetry/logger.js';
import { createMetrics, type Metrics } from '../platform/telemetry/metrics.js';
import { watchUnhandledRejections } from '../platform/telemetry/unhandled-rejections.js';
import { shutdownTracing } from '../platform/telemetry/tracing-switch.js';
import { createFakePspServer } from '../services/payments/fake-psp/fake-psp-server.js';
import { apiModules, createCommerceModules } from './commerce-modules.js';
import { httpProtection } from './http-protection.js';
import { openDatabase, openReadRouting } from './open-database.js';
import { cartWriteBackThread } from './cart-write-back-thread.js';
import { openCartWorkingCopy, openCatalogPageLevel, openSaleCounters } from './open-shared-state.js';
import { openEventBus } from './open-event-bus.js';
import { openEnvelope } from './open-envelope.js';
import { createDataDirGuard, dataDirInUse, restrictNewFiles } from './data-dir-guard.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { checkDataDir, checkPortFree, databaseOpenFailure, migrationFailure } from './startup-checks.js';
import { seedDemo, type DemoSeedResult } from './seed-demo.js';
import { selectWorkers } from './worker-groups.js';

/** the most an idle outbox relay waits between polls in the all-in-one (createCommerceModules pokedQueueMaxIdleMs) */
const ALL_IN_ONE_POKED_QUEUE_MAX_IDLE_MS = 2_000;

export interface AllInOneOptions {
  config: Config;
  /** seed the demo catalog, stock and demo admin (npm start does; tests usually build their own data) */
  seed?: boolean;
  onProgress?: (step: string) => void;
  /** where JSON log lines go instead of stdout (tests read them back) */
  logDestination?: DestinationStream;
}

export interface RunningShop {
  url: string;
  pspUrl: string;
  seed: DemoSeedResult | undefined;
  /** every route the HTTP app serves (the API-inventory test compares them with the OpenAPI document) */
  routes: ServedRoute[];
  /** the shop's own database handle: tests count rows through it (PGlite has no second connection) */
  database: Database;
  stop(): Promise<void>;
}

/** The whole shop in one process: embedded database (or DATABASE_URL), in-process bus (or AMQP_URL), fake PSP on its own port. */
export async function startAllInOne({ config, seed = false, onProgress = () => {}, logDestination }: AllInOneOptions): Promise<RunningShop> {
  // ConfigError (exit 2) before anything opens
  requireStartSettings(config);
  const logger = createLogger({ service: 'floodgate', level: config.logLevel, pretty: config.prettyLogs, ...(logDestination ? { destination: logDestination } : {}) });
  const metrics = createMetrics('floodgate');
  watchUnhandledRejections(logger, metrics);

  // before the database: a loose data dir or a missing key in production stop the start before anything is opened
  restrictNewFiles();
  const guardDataDir = dataDirInUse(config);
  if (guardDataDir) checkDataDir(config.dataDir);
  if (guardDataDir) await secureDataDir(config.dataDir);
  // the embedded database allows one process: the lock comes first, so a second start names the holder
  const lock = config.databaseUrl ? undefined : acquireDataDirLock(config.dataDir);
  let db: Database | undefined;
  try {
    // a taken port fails now, not after migrations and the seed
    await checkPortFree(config.host, config.port, 'PORT');
    if (!config.pspUrl) await checkPortFree('127.0.0.1', config.fakePspPort, 'FAKE_PSP_PORT');
    const envelope = await openEnvelope(config);
    onProgress('opening database');
    const freshDatabase = !config.databaseUrl && !existsSync(join(config.dataDir, 'pgdata', 'PG_VERSION'));
    db = await openDatabase(config, metrics, logger).catch((err: unknown) => {
      throw databaseOpenFailure(err, config);
    });
    return await startOn({ config, seed, onProgress, logger, metrics, db, envelope, guardDataDir, lock, freshDatabase });
  } catch (err) {
    await db?.close().catch(() => {});
    lock?.release();
    throw err;
  }
}

async function startOn({
  config,
  seed,
  onProgress,
  logger,
  metrics,
  db,
  envelope,
  guardDataDir,
  lock,
  freshDatabase,
}: {
  config: Config;
  seed: boolean;
  onProgress: (step: string) => void;
  logger: Logger;
  metrics: Metrics;
  db: Database;
  envelope: Awaited<ReturnType<typeof openEnvelope>>;
  guardDataDir: boolean;
  lock: DataDirLock | undefined;
  /** the embedded database was created by this start (initdb ran) */
  freshDatabase: boolean;
}): Promise<RunningShop> {
  let draining = false;
  // PGlite writes a fresh database's files 0666 whatever the umask: tighten them now
  if (guardDataDir) await secureDataDir(config.dataDir);
  // RabbitMQ when AMQP_URL is set: the outbox relays publish there and the subscribers consume from their queues
  const { bus, readinessChecks: busReadiness } = openEventBus(config, logger, metrics);

  let psp: Awaited<ReturnType<typeof createFakePspServer>> | undefined;
  let pspUrl = config.pspUrl;
  if (!pspUrl) {
    onProgress('starting fake payment provider');
    psp = await createFakePspServer({ logger: logger.child({ module: 'fake-psp' }) });
    await psp.listen({ host: '127.0.0.1', port: config.fakePspPort });
    pspUrl = `http://127.0.0.1:${(psp.server.address() as AddressInfo).port}`;
  }

  const protection = httpProtection(config, logger, metrics);
  // REDIS_URL set → Redis counters every process shares; unset → in-process (this one process only)
  const counters = openSaleCounters(config, logger, metrics);
  // DATABASE_REPLICA_URLS: catalog reads and order history go to a healthy replica (docs/database-faults.md)
  const reads = await openReadRouting(config, db, metrics, logger);
  // REDIS_URL set → rendered catalog pages are shared by every process (and invalidated in all of them)
  const sharedPages = openCatalogPageLevel(config, logger);
  // REDIS_URL set → carts live in Redis, written back to PostgreSQL; unset → in this process's memory (docs/carts.md)
  const cartCopy = openCartWorkingCopy(config, logger, 'all-in-one');
  // with Redis and a PostgreSQL server, due carts are written back on a thread of their own (CARTS_WRITE_BACK_THREAD)
  const cartWriteBack = cartWriteBackThread(config, cartCopy.workingCopy, logger, metrics);
  const commerce = createCommerceModules({
    db, reads, bus, logger, metrics, envelope, pspUrl, pspCircuit: config.pspCircuit, payments: config.payments, checkoutLockMs: config.checkoutLockMs, maxOpenCartsPerCustomer: config.maxOpenCartsPerCustomer, counters: counters.store, flashSales: config.flashSales,
    degradation: protection.degradation.registry,
    // a cart's variant prices are kept long only where every process hears every product change (catalog/index.ts);
    // the carts ask the catalog's snapshots in this process directly: no second, TTL-only cache in front of them
    catalogPages: { ...config.catalogPages, recordTtlMs: sharedPages || db.kind === 'pglite' ? config.catalogPages.recordTtlMs : config.catalogPages.ttlMs, ...(sharedPages ? { shared: sharedPages } : {}) },
    carts: { ...(cartCopy.workingCopy ? { workingCopy: cartCopy.workingCopy } : {}), flushIntervalMs: config.carts.flushIntervalMs, ...(cartWriteBack ? { flushElsewhere: cartWriteBack } : {}) },
    // the outbox relays run beside every writer here, and each commit that enqueues pokes its relay: an idle shop's
    // relays back off to one poll per 2 s instead of five a second each (what a poll still finds: retries coming due)
    pokedQueueMaxIdleMs: ALL_IN_ONE_POKED_QUEUE_MAX_IDLE_MS,
  });
  onProgress('migrating');
  await migrateAll(db, commerce.migrations).catch((err: unknown) => {
    throw migrationFailure(err);
  });
  if (config.admin) await commerce.customers.ensureAdmin(config.admin.email, config.admin.password);

  let seeded: DemoSeedResult | undefined;
  if (seed) {
    seeded = await seedDemo(db, commerce, {
      products: config.demoProducts,
      dataDir: config.dataDir,
      configuredAdmin: Boolean(config.admin),
      // said only when it seeds: a restart finds the catalog and writes nothing
      onFirstRun: () => onProgress(`seeding demo catalog (${config.demoProducts} products, first run only)`),
    });
  }

  // a first start leaves garbage that V8 kept resident for minutes: the seed's rows, and without the build's
  // database template the initdb instance's ~0.5 GB of WebAssembly memory (RSS 700-800 MiB instead of ~400,
  // BENCHMARKS.md, issue 12)
  if (freshDatabase) collectGarbage();

  const app = await createHttpApp({
    logger,
    metrics,
    authenticate: commerce.customers.client.authenticate,
    peekPrincipal: commerce.customers.peekAccessToken,
    audit: commerce.audit,
    modules: apiModules(commerce, protection.degradation),
    readinessChecks: { database: () => db.ping(), ...busReadiness },
    isDraining: () => draining,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    ...protection.options,
  });
  const connections = trackConnections(app.server);
  // migrations and the seed created relation files; the guard catches anything written later
  if (guardDataDir) await secureDataDir(config.dataDir);
  // FLOODGATE_WORKERS=none leaves the background jobs to `floodgate worker` processes
  const workers: Worker[] = selectWorkers([...commerce.modules.flatMap((m) => m.workers ?? []), ...(guardDataDir ? [createDataDirGuard({ dataDir: config.dataDir, logger })] : [])], config.workers, 'api');
  registerOutboxBacklogGauge(metrics, outboxBacklogsOf(workers));
  registerOutboxParkedGauge(metrics, outboxParkedOf(workers));
  for (const worker of workers) worker.start();

  onProgress('listening');
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address() as AddressInfo;

  return {
    url: `http://${config.host}:${address.port}`,
    pspUrl,
    seed: seeded,
    routes: app.servedRoutes,
    database: db,
    async stop() {
      // stop taking traffic first (readyz 503, every answer closes its connection, idle connections are
      // given a moment), then let in-flight work and workers finish, then close storage
      draining = true;
      const drained = await connections.drain(config.shutdown);
      logger.info({ ...drained, closedUnused: connections.closeUnused() }, 'connections drained');
      await app.close();
      await protection.close();
      await Promise.all(workers.map((w) => w.stop()));
      await bus.close();
      // after the workers: the carts' write-back worker wrote its last changes through this connection
      await cartCopy.close();
      await counters.store.close();
      await sharedPages?.close();
      await psp?.close();
      await reads.close();
      await db.close();
      lock?.release();
      await shutdownTracing();
    },
  };
}
