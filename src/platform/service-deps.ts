import type { Logger } from 'pino';
import type { EventBus } from './bus/event-bus.js';
import type { Envelope } from './crypto/envelope.js';
import type { Database } from './db/database.js';
import type { ReadRouting } from './db/read-routing.js';
import type { Metrics } from './telemetry/metrics.js';

/** What every service factory receives from the composition root; services add their own clients. */
export interface ServiceDeps {
  db: Database;
  bus: EventBus;
  logger: Logger;
  metrics: Metrics;
  /** encrypts secrets and personal data at rest (src/platform/crypto/) */
  envelope: Envelope;
  /** where reads that tolerate lag go (replicas, DATABASE_REPLICA_URLS); without it every read uses `db` */
  reads?: ReadRouting;
}
