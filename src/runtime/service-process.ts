import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { requireServeSettings, type Config } from '../config.js';
import { auditMigrations } from '../platform/audit/audit-migrations.js';
import { createSqlAuditLog } from '../platform/audit/sql-audit-log.js';
import { createServiceTokenVerifier } from '../platform/auth/service-token.js';
import { outboxBacklogsOf, outboxParkedOf, registerOutboxBacklogGauge, registerOutboxParkedGauge } from '../platform/bus/outbox-backlog-gauge.js';
import type { Database } from '../platform/db/database.js';
import { migrateAll, type MigrationSource } from '../platform/db/migrate.js';
import { createHttpApp } from '../platform/http/create-http-app.js';
import { trackConnections } from '../platform/http/drain-connections.js';
import { internalRoutesModule } from '../platform/http/internal-routes.js';
import { createDegradationModule } from '../platform/overload/degradation-routes.js';
import { createLogger } from '../platform/telemetry/logger.js';
import { createMetrics } from '../platform/telemetry/metrics.js';
import { watchUnhandledRejections } from '../platform/telemetry/unhandled-rejections.js';
import { shutdownTracing } from '../platform/telemetry/tracing-switch.js';
import { httpProtection } from './http-protection.js';
import { verifyTokensLocally } from './local-token-verification.js';
import { openDatabase, openReadRouting } from './open-database.js';
import { openEnvelope } from './open-envelope.js';
import { openEventBus } from './open-event-bus.js';
import { createRemoteClients } from './remote-clients.js';
import type { ServiceName } from './service-names.js';
import { SERVICE_WIRING } from './service-wiring.js';
import { checkPortFree, databaseOpenFailure, migrationFailure } from './startup-checks.js';
import { selectWorkers } from './worker-groups.js';

export interface RunningService {
  url: string;
  service: ServiceName;
  workers: string[];
  stop(): Promise<void>;
}

/**
 * `floodgate serve <service>`: one service as its own process (production topology). Its public routes,
 * `/internal/<service>/…` for the other services (service credential only), the probes, /metrics and
 * /ops; its own schema's migrations (and the platform audit schema it writes to); its own workers
 * (FLOODGATE_WORKERS); the other services through their HTTP clients; events through RabbitMQ.
 */
export async function startServiceProcess({ config, service, logDestination }: { config: Config; service: ServiceName; logDestination?: DestinationStream }): Promise<RunningService> {
  // ConfigError (exit 2) before anything opens
  requireServeSettings(config, service);
  const logger = createLogger({ service: `floodgate-${service}`, level: config.logLevel, pretty: config.prettyLogs, ...(logDestination ? { destination: logDestination } : {}) });
  const metrics = createMetrics(`floodgate-${service}`);
  watchUnhandledRejections(logger, metrics);
  await checkPortFree(config.host, config.port, 'PORT');
  const envelope = await openEnvelope(config);
  const db = await openDatabase(config, metrics, logger, { service }).catch((err: unknown) => {
    throw databaseOpenFailure(err, config);
  });
  try {
    return await startOn(config, service, { logger, metrics, envelope, db });
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}

async function startOn(
  config: Config,
  service: ServiceName,
  { logger, metrics, envelope, db }: { logger: ReturnType<typeof createLogger>; metrics: ReturnType<typeof createMetrics>; envelope: Awaited<ReturnType<typeof openEnvelope>>; db: Database },
): Promise<RunningService> {
  let draining = false;
  const { bus, readinessChecks: busReadiness } = openEventBus(config, logger, metrics);
  const audit = createSqlAuditLog(db, { logger: logger.child({ module: 'audit' }) });
  const remote = createRemoteClients({ config, caller: service, logger, metrics });
  // DATABASE_REPLICA_URLS: the lag-tolerant reads (catalog pages, order history) go to a healthy replica
  const reads = await openReadRouting(config, db, metrics, logger, { service });
  const wiring = SERVICE_WIRING[service];
  // before the service is built: catalog's fallbacks follow the switches that shedding drives (and admins set, through Redis)
  const protection = httpProtection(config, logger, metrics);
  const wired = wiring.build({ config, logger, remote, degradation: protection.degradation.registry, base: { db, reads, bus, metrics, envelope, audit, logger: logger.child({ module: service }) } });

  const migrations = [auditMigrations, wired.module.migrations].filter((m): m is MigrationSource => Boolean(m));
  await migrateConcurrently(db, migrations).catch(async (err: unknown) => {
    // the process exits on this: its Redis connections must not hold it open
    await protection.close().catch(() => {});
    throw migrationFailure(err);
  });
  await wired.afterMigrate?.();

  // access tokens are verified here against the customers service's keys and a copy of its revocation list
  // (no call per request); API keys are looked up there, cached
  const tokens = wired.authenticate ? undefined : verifyTokensLocally(remote.customers(), logger, metrics, db);
  const internal = internalRoutesModule({ api: wiring.api, client: wired.client, verify: createServiceTokenVerifier({ key: config.serviceCalls.key ?? '', audience: service }) });
  const app = await createHttpApp({
    logger,
    metrics,
    authenticate: wired.authenticate ?? tokens!.authenticate,
    ...(tokens ? { peekPrincipal: tokens.peekPrincipal } : {}),
    audit,
    // every process serves the degradation switches: an admin's setting reaches all of them through Redis
    modules: [wired.module, ...(wired.extraModules ?? []), createDegradationModule({ ...protection.degradation, audit }), internal],
    readinessChecks: { database: () => db.ping(), ...busReadiness },
    isDraining: () => draining,
    title: `Floodgate API — ${service}`,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    ...protection.options,
  });
  const connections = trackConnections(app.server);
  const workers = selectWorkers(wired.module.workers ?? [], config.workers, 'api');
  registerOutboxBacklogGauge(metrics, outboxBacklogsOf(workers));
  registerOutboxParkedGauge(metrics, outboxParkedOf(workers));
  for (const worker of workers) worker.start();
  tokens?.worker.start();
  await app.listen({ host: config.host, port: config.port });
  const url = `http://${config.host}:${(app.server.address() as AddressInfo).port}`;
  logger.info({ service, url, workers: workers.map((w) => w.name) }, 'service process started');

  return {
    url,
    service,
    workers: workers.map((w) => w.name),
    async stop() {
      // readyz 503 first, connections wound down, then work finished and storage closed (as all-in-one)
      draining = true;
      const drained = await connections.drain(config.shutdown);
      logger.info({ ...drained, closedUnused: connections.closeUnused() }, 'connections drained');
      await app.close();
      await protection.close();
      await Promise.all([...workers, ...(tokens ? [tokens.worker] : [])].map((w) => w.stop()));
      await bus.close();
      await remote.close();
      await wired.close?.();
      await reads.close();
      await db.close();
      await shutdownTracing();
    },
  };
}

/**
 * Several processes start at once (two catalog instances, every service writing the audit schema): the
 * migrator's lock row makes each file apply once, but two `create schema if not exists` can still race
 * and one of them fails. A second pass then finds everything in place.
 */
async function migrateConcurrently(db: Database, sources: MigrationSource[]) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateAll(db, sources);
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}
