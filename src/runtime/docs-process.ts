import type { AddressInfo } from 'node:net';
import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type Driver } from 'kysely';
import type { DestinationStream } from 'pino';
import { requireServeSettings, type Config } from '../config.js';
import { createInProcessEventBus } from '../platform/bus/in-process-event-bus.js';
import type { Envelope } from '../platform/crypto/envelope.js';
import type { Database } from '../platform/db/database.js';
import { createHttpApp } from '../platform/http/create-http-app.js';
import { trackConnections } from '../platform/http/drain-connections.js';
import { createDegradationRegistry } from '../platform/overload/degradation.js';
import { localDegradationSettings } from '../platform/overload/degradation-sync.js';
import type { ServiceModule } from '../platform/service.js';
import { createLogger } from '../platform/telemetry/logger.js';
import { createMetrics } from '../platform/telemetry/metrics.js';
import { shutdownTracing } from '../platform/telemetry/tracing-switch.js';
import { apiModules, createCommerceModules } from './commerce-modules.js';
import { checkPortFree } from './startup-checks.js';
import { securitySettings } from './security-settings.js';

export interface RunningDocs {
  url: string;
  /** operations the document describes (none of which this process answers) */
  operations: number;
  stop(): Promise<void>;
}

const NOT_HERE = '`floodgate serve docs` is a document server: it has no database, broker or keys and answers no API operation';
const refuse = (): never => {
  throw new Error(NOT_HERE);
};

/** A Kysely that builds queries and runs none: what the stores are built over here (no request reaches them). */
function databaseNeverOpened(): Database {
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => refuse(),
    beginTransaction: async () => refuse(),
    commitTransaction: async () => refuse(),
    rollbackTransaction: async () => refuse(),
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  const kysely = new Kysely<unknown>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { kind: 'postgres', kysely, ping: async () => refuse(), close: () => kysely.destroy(), poolStats: () => ({ total: 0, idle: 0, waiting: 0 }) };
}

const keysNeverLoaded: Envelope = { seal: refuse, open: refuse, rewrap: refuse, needsRewrap: refuse, blindIndex: refuse };

/** no Host header matches it (an empty negative lookahead fails everywhere) */
const NO_HOST = /(?!)/;

/**
 * The module's routes, declared with their real options and schemas, so @fastify/swagger documents them exactly
 * as the all-in-one does; the host constraint keeps the router from ever choosing one, so every request for an
 * API operation gets the router's own 404 (ROUTE_NOT_FOUND) and no hook or handler of those routes ever runs.
 */
function declaredOnly(module: ServiceModule): ServiceModule {
  return {
    ...module,
    workers: [],
    routes: async (scope) => {
      scope.addHook('onRoute', (route) => {
        route.constraints = { ...route.constraints, host: NO_HOST };
      });
      await module.routes?.(scope);
    },
  };
}

/**
 * `floodgate serve docs`: the whole API's document (/v1/openapi.json and /docs) exactly as the all-in-one serves
 * it, plus /healthz, /readyz and /metrics, without a database, Redis or RabbitMQ. The document is built the one
 * way there is, from the routes: every module is built by its real factory (createCommerceModules, apiModules:
 * the all-in-one's list) over a database that runs no query, keys that open nothing and a bus nobody publishes
 * on, and its routes are declared but never routed to (declaredOnly). Nothing is migrated, no job runs.
 */
export async function startDocsProcess({ config, logDestination }: { config: Config; logDestination?: DestinationStream }): Promise<RunningDocs> {
  requireServeSettings(config, 'docs');
  const logger = createLogger({ service: 'floodgate-docs', level: config.logLevel, pretty: config.prettyLogs, ...(logDestination ? { destination: logDestination } : {}) });
  const metrics = createMetrics('floodgate-docs');
  await checkPortFree(config.host, config.port, 'PORT');
  let draining = false;

  const bus = createInProcessEventBus();
  const degradation = createDegradationRegistry();
  const settings = localDegradationSettings(degradation);
  const commerce = createCommerceModules({
    db: databaseNeverOpened(),
    bus,
    logger: logger.child({ module: 'declarations' }),
    // the modules' gauges (orders by status, held stock …) would query the database at each scrape: they go to
    // a registry nobody serves, and /metrics shows this process's own figures
    metrics: createMetrics('floodgate-docs-declarations'),
    envelope: keysNeverLoaded,
    // never called: no charge is made here
    pspUrl: 'http://psp.invalid',
  });

  const app = await createHttpApp({
    logger,
    metrics,
    // no route that reads credentials is ever routed to here
    authenticate: async () => null,
    modules: apiModules(commerce, { registry: degradation, settings }).map(declaredOnly),
    // nothing to reach: ready whenever it is not draining
    readinessChecks: {},
    isDraining: () => draining,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    ...securitySettings(config),
  });
  const connections = trackConnections(app.server);
  await app.listen({ host: config.host, port: config.port });
  const url = `http://${config.host}:${(app.server.address() as AddressInfo).port}`;
  const operations = Object.values((app.swagger() as { paths?: Record<string, object> }).paths ?? {}).reduce((n, methods) => n + Object.keys(methods).length, 0);
  logger.info({ url, operations }, 'docs process started: it serves the API document and answers 404 to every API operation');

  return {
    url,
    operations,
    async stop() {
      draining = true;
      const drained = await connections.drain(config.shutdown);
      logger.info({ ...drained, closedUnused: connections.closeUnused() }, 'connections drained');
      await app.close();
      settings.close();
      await bus.close();
      await shutdownTracing();
    },
  };
}
