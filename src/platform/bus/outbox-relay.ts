import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { isTransientFailure } from '../resilience/transient-failure.js';
import { jitteredBackoffMs } from '../resilience/backoff.js';
import { createTurnBatchLoader } from '../batching/turn-batch-loader.js';
import { createClaimPipeline } from '../claim-pipeline.js';
import type { Worker } from '../service.js';
import { createAggregatedFailureLog, describeError } from '../telemetry/failure-log.js';
import type { DomainEvent, EventBus } from './event-bus.js';

export interface OutboxRelayDeps {
  db: Database;
  schema: string;
  bus: EventBus;
  logger: Logger;
  /**
   * How long a claimed event is ours. The relay renews it every third of it while the publish
   * runs, so only a relay that died (or lost its database for that long) loses its claim. Short
   * (10 s), because it is also how long the events of a killed process wait before another takes
   * them; a claim lost to a live relay only means a second delivery, which subscribers absorb.
   */
  leaseMs?: number;
  /** wait between polls that found nothing due (a poke skips it) */
  idleMs?: number;
  /** the idle wait doubles per empty poll up to this (claim-pipeline.ts); only for relays every writer pokes */
  maxIdleMs?: number | undefined;
  /** most events claimed by one query */
  batchSize?: number;
  /** publishes in flight at once; a new one starts as soon as one ends */
  concurrency?: number;
  /** failed attempts after which an event that fails for a non-transient reason is parked */
  maxAttempts?: number;
  /** retry delay after the n-th failure: initialMs·2^(n-1), at most maxMs, with jitter */
  backoff?: { initialMs: number; maxMs: number };
  /** transient failures (a dependency down) never park an event, however long they last */
  isTransient?: (err: unknown) => boolean;
  /** one summary line per event type per interval while publishes fail */
  failureLogIntervalMs?: number;
  onPublished?: (type: string) => void;
  onParked?: (type: string) => void;
}

export interface OutboxRelay extends Worker {
  /** publish soon: called after a commit that enqueued events, to skip the idle wait */
  poke(): void;
  /** one batch: claims what is due, publishes it (bounded concurrency), resolves with how many were published; tests drive the relay with it */
  drainOnce(): Promise<number>;
  /** events waiting to be published (parked ones excluded) */
  backlog(): Promise<number>;
  /** events parked after maxAttempts; `requeueParkedEvents` gives them another go */
  parked(): Promise<number>;
}

/** how long a refill waits for more slots to free; short next to any real publish */
const REFILL_WINDOW_MS = 5;

interface Row { id: string; type: string; payload: unknown; occurred_at: Date; attempts: number }

/**
 * Publishes a service's outbox on a claim pipeline (createClaimPipeline): up to `concurrency` publishes
 * run at once and a free slot is refilled at once, so one slow subscriber (a 1.5 s charge) holds one
 * slot, never the events behind it. Rows are claimed with a lease (not a held transaction: on PGlite the
 * single connection would be blocked, on PostgreSQL a slow subscriber would hold locks), renewed here
 * while a publish runs.
 *
 * Every update after a claim is fenced on the row's `attempts` (each claim increments it): a relay
 * that lost its lease cannot move an event another relay has claimed since.
 */
export function createOutboxRelay(deps: OutboxRelayDeps): OutboxRelay {
  const { db, schema, bus, logger, leaseMs = 10_000, idleMs = 200, batchSize = 50, concurrency = 16, maxAttempts = 10, onPublished, onParked } = deps;
  const { initialMs, maxMs } = deps.backoff ?? { initialMs: 250, maxMs: 60_000 };
  const isTransient = deps.isTransient ?? isTransientFailure;
  const name = `${schema}-outbox-relay`;
  const table = sql.table(`${schema}.outbox`);
  const failures = createAggregatedFailureLog({ logger, dependency: name, ...(deps.failureLogIntervalMs ? { intervalMs: deps.failureLogIntervalMs } : {}) });
  const lease = `${leaseMs} milliseconds`;
  /** claimed by this relay and not settled yet (published, backed off or parked): their leases are renewed */
  const held = new Map<string, Row>();

  const claim = async (limit: number): Promise<Row[]> => {
    const { rows } = await sql<Row>`
      update ${table} set available_at = now() + ${lease}::interval, attempts = attempts + 1
      where id in (
        select id from ${table} where published_at is null and parked_at is null and available_at <= now()
        order by id limit ${limit} for update skip locked)
      returning id, type, payload, occurred_at, attempts`.execute(db.kysely);
    const fresh: Row[] = [];
    for (const row of rows.sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const mine = held.get(row.id);
      // our own lease lapsed (the renewal failed) and we took it again: it is still being published
      // here, so it must not start twice; the fence moves to the new claim
      if (mine) mine.attempts = row.attempts;
      else fresh.push(row);
    }
    return fresh;
  };

  // The events whose publish ended in one turn of the event loop are marked published by ONE statement: a
  // statement per event was a third of an order's outbox bookkeeping (three events per paid order). A failed
  // statement fails every publish of its batch, which are then delivered again once their leases lapse.
  const marks = createTurnBatchLoader<string, true>(
    async (ids) => {
      await sql`update ${table} set published_at = now(), last_error = null where id = any(${[...ids]}::uuid[])`.execute(db.kysely);
      return new Map(ids.map((id) => [id, true as const]));
    },
    { missing: true },
  );

  let renewTimer: NodeJS.Timeout | undefined;
  const renewLeases = async () => {
    if (held.size === 0) {
      clearInterval(renewTimer);
      renewTimer = undefined;
      return;
    }
    const claims = JSON.stringify([...held.values()].map(({ id, attempts }) => ({ id, attempts })));
    try {
      await sql`
        update ${table} set available_at = now() + ${lease}::interval
        where published_at is null and parked_at is null
          and (id, attempts) in (select (e->>'id')::uuid, (e->>'attempts')::int from jsonb_array_elements(${claims}::jsonb) e)`.execute(db.kysely);
      failures.success('lease renewal');
    } catch (err) {
      failures.failure('lease renewal', err);
    }
  };

  // jittered: events that failed together do not all come back together
  const retryDelayMs = (attempts: number) => jitteredBackoffMs(attempts, { initialMs, maxMs });

  const settleFailure = async (row: Row, err: unknown) => {
    const transient = isTransient(err);
    const reason = describeError(err);
    failures.failure(row.type, err, { eventId: row.id, attempts: row.attempts, transient });
    if (!transient && row.attempts >= maxAttempts) {
      const { rows } = await sql`update ${table} set parked_at = now(), last_error = ${reason}
        where id = ${row.id} and attempts = ${row.attempts} and published_at is null returning id`.execute(db.kysely);
      if (rows.length === 0) return; // another relay claimed it meanwhile
      logger.error({ err, eventId: row.id, type: row.type, attempts: row.attempts, schema }, `outbox event parked after ${row.attempts} attempts; requeue it with \`floodgate outbox requeue ${schema}\` once fixed`);
      onParked?.(row.type);
      return;
    }
    await sql`update ${table} set available_at = now() + ${`${retryDelayMs(row.attempts)} milliseconds`}::interval, last_error = ${reason}
      where id = ${row.id} and attempts = ${row.attempts} and published_at is null`.execute(db.kysely);
  };

  /** never throws: a failure is recorded on the row (or, if the database is gone too, left to the lease) */
  const publishOne = async (row: Row): Promise<boolean> => {
    held.set(row.id, row);
    if (!renewTimer) {
      renewTimer = setInterval(() => void renewLeases(), Math.max(10, Math.floor(leaseMs / 3)));
      renewTimer.unref?.();
    }
    const event: DomainEvent = { id: row.id, type: row.type, occurredAt: new Date(row.occurred_at).toISOString(), payload: row.payload };
    try {
      try {
        await bus.publish(event);
      } catch (err) {
        await settleFailure(row, err);
        return false;
      }
      // published is the truth whoever holds the lease now: no fence
      await marks.load(row.id);
      failures.success(row.type);
      onPublished?.(row.type);
      return true;
    } catch (err) {
      // the bookkeeping failed (database down): the lease lapses and the event is delivered again
      failures.failure('outbox bookkeeping', err, { eventId: row.id });
      return false;
    } finally {
      held.delete(row.id);
    }
  };

  const pipeline = createClaimPipeline({
    name,
    concurrency,
    claim,
    run: publishOne,
    logger,
    failures,
    idleMs,
    ...(deps.maxIdleMs !== undefined ? { maxIdleMs: deps.maxIdleMs } : {}),
    maxClaim: batchSize,
    batchWindowMs: REFILL_WINDOW_MS,
  });

  return {
    name,
    start: () => pipeline.start(),
    async stop() {
      // leases keep being renewed until the last publish is settled
      await pipeline.stop();
      failures.close();
    },
    poke: () => pipeline.poke(),
    async drainOnce() {
      return (await pipeline.drainOnce(batchSize)).filter((published) => published === true).length;
    },
    async backlog() {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${table} where published_at is null and parked_at is null`.execute(db.kysely);
      return rows[0]?.n ?? 0;
    },
    async parked() {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${table} where published_at is null and parked_at is not null`.execute(db.kysely);
      return rows[0]?.n ?? 0;
    },
  };
}
