import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { MigrationSource } from './db/migrate.js';

/** The Fastify instance routes are registered on: zod schemas validate and document every route. */
export type HttpApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** A background loop (outbox relay, reservation expiry …); started by the runtime, stopped on shutdown. */
export interface Worker {
  name: string;
  start(): void;
  /** finish the current iteration, then stop */
  stop(): Promise<void>;
}

/** What createXService(deps) returns; only src/runtime/ decides how modules are combined. */
export interface ServiceModule<Client = unknown> {
  name: string;
  migrations?: MigrationSource;
  routes?: (app: HttpApp) => void | Promise<void>;
  client: Client;
  workers?: Worker[];
  /**
   * Re-wraps everything this service keeps sealed with the current key-encryption key (and
   * recomputes blind indexes), after a KEK rotation; run by `floodgate keys rewrap`. Idempotent.
   * One report per table (a service with several sealed tables answers a list).
   */
  rewrap?: () => Promise<RewrapReport | RewrapReport[]>;
}

/** What one service's rewrap did: rows looked at, rows moved to the current KEK. */
export interface RewrapReport {
  service: string;
  scanned: number;
  rewrapped: number;
}
