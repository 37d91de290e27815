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
  /**
   * The longest an idle poll of a work queue whose writers poke its worker may wait (the outbox relays and the
   * payments worker of the services whose commits poke them: claim-pipeline.ts `maxIdleMs`). Only where every
   * writer runs in the worker's process, the all-in-one: in the production topology the relays run in the worker
   * process, which no API process's commit pokes, so their polls are what finds new events. Absent: no backoff.
   */
  pokedQueueMaxIdleMs?: number;
}
