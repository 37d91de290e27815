import type { AddressInfo } from 'node:net';
import { requireWorkerSettings, type Config } from '../config.js';
import { outboxBacklogsOf, outboxParkedOf, registerOutboxBacklogGauge, registerOutboxParkedGauge } from '../platform/bus/outbox-backlog-gauge.js';
import { migrateAll } from '../platform/db/migrate.js';
import { createHttpApp } from '../platform/http/create-http-app.js';
import { createLogger } from '../platform/telemetry/logger.js';
import { createMetrics } from '../platform/telemetry/metrics.js';
import { watchUnhandledRejections } from '../platform/telemetry/unhandled-rejections.js';
import { shutdownTracing } from '../platform/telemetry/tracing-switch.js';
import { createCommerceModules } from './commerce-modules.js';
import { openDatabase } from './open-database.js';
import { openEnvelope } from './open-envelope.js';
import { openEventBus } from './open-event-bus.js';
import { selectWorkers, type WorkerGroup } from './worker-groups.js';

export interface RunningWorkerProcess {
  /** /healthz, /readyz and /metrics of this process */
  url: string;
  workers: string[];
  stop(): Promise<void>;
}

/**
 * `floodgate worker <group…>`: background jobs (outbox relays, payment charges, reservation expiry,
 * sweepers) as their own process, next to API processes started with FLOODGATE_WORKERS=none. It shares
 * their PostgreSQL (and RabbitMQ when AMQP_URL is set) and serves only its probes and metrics.
 */
export async function startWorkerProcess({ config, groups }: { config: Config; groups: WorkerGroup[] }): Promise<RunningWorkerProcess> {
  requireWorkerSettings(config, groups);

  const logger = createLogger({ service: `floodgate-worker-${groups.join('-')}`, level: config.logLevel, pretty: config.prettyLogs });
  const metrics = createMetrics('floodgate-worker');
  watchUnhandledRejections(logger, metrics);
  let draining = false;
  const envelope = await openEnvelope(config);
  const db = await openDatabase(config, metrics, logger);
  const { bus, readinessChecks: busReadiness } = openEventBus(config, logger, metrics);
  const commerce = createCommerceModules({ db, bus, logger, metrics, envelope, pspUrl: config.pspUrl ?? 'http://127.0.0.1:9', payments: config.payments, checkoutLockMs: config.checkoutLockMs });
  // the lock row lets a worker and the API processes start together: each migration is applied once
  await migrateAll(db, commerce.migrations);

  const workers = selectWorkers(commerce.modules.flatMap((m) => m.workers ?? []), groups, 'worker');
  registerOutboxBacklogGauge(metrics, outboxBacklogsOf(workers));
  registerOutboxParkedGauge(metrics, outboxParkedOf(workers));

  const app = await createHttpApp({
    logger,
    metrics,
    authenticate: commerce.customers.client.authenticate,
    modules: [],
    readinessChecks: { database: () => db.ping(), ...busReadiness },
    isDraining: () => draining,
    opsToken: config.opsToken,
    timeouts: config.httpTimeouts,
    requestDeadlineMs: config.requestDeadlineMs,
  });
  for (const worker of workers) worker.start();
  await app.listen({ host: config.host, port: config.port });
  logger.info({ workers: workers.map((w) => w.name) }, 'worker process started');

  return {
    url: `http://${config.host}:${(app.server.address() as AddressInfo).port}`,
    workers: workers.map((w) => w.name),
    async stop() {
      // the jobs finish what they claimed; an unfinished claim's lease lapses and another process takes it
      draining = true;
      await Promise.all(workers.map((w) => w.stop()));
      await app.close();
      await bus.close();
      await db.close();
      await shutdownTracing();
    },
  };
}
