import { newId } from '../ids.js';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import type { ActorType, AuditAction, AuditDetails, AuditEntry, AuditLog, AuditRecord } from './audit-log.js';

interface EntryRow {
  id: string;
  occurred_at: Date;
  actor_type: ActorType;
  actor_id: string | null;
  action: AuditAction;
  target_type: string | null;
  target_id: string | null;
  request_id: string | null;
  client_ip: string | null;
  details: AuditDetails;
  dedupe_key: string | null;
}

interface AuditTables {
  'audit.entries': EntryRow;
}

const toRecord = (r: EntryRow): AuditRecord => ({
  id: r.id,
  occurredAt: r.occurred_at,
  actor: { type: r.actor_type, id: r.actor_id },
  action: r.action,
  target: r.target_type !== null && r.target_id !== null ? { type: r.target_type, id: r.target_id } : null,
  requestId: r.request_id,
  clientIp: r.client_ip,
  details: r.details,
});

/**
 * Writes one entry with the given executor: inside a service's transaction (`trx`), the entry
 * commits or rolls back with the change it describes, like an outbox event (bus/outbox.ts).
 */
export async function insertAuditEntry(executor: Kysely<any>, entry: AuditEntry, occurredAt: Date): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  await (executor as Kysely<AuditTables>)
    .insertInto('audit.entries')
    .values({
      id: newId(),
      occurred_at: occurredAt,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      request_id: entry.requestId,
      client_ip: entry.clientIp,
      // both drivers take text for jsonb; an object parameter is not portable between them
      details: sql<AuditDetails>`${JSON.stringify(entry.details ?? {})}::jsonb`,
      dedupe_key: entry.dedupeKey ?? null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

export interface SqlAuditLogOptions {
  /** where an entry that could not be stored is written instead, so it is never lost silently */
  logger: Logger;
  clock?: () => Date;
}

export function createSqlAuditLog(db: Database, { logger, clock = () => new Date() }: SqlAuditLogOptions): AuditLog {
  const k = db.kysely as Kysely<AuditTables>;

  return {
    async record(entry) {
      const occurredAt = clock();
      try {
        await insertAuditEntry(k, entry, occurredAt);
      } catch (err) {
        // the entry goes to the log in full (it holds no secrets by construction), then the caller fails
        logger.error({ err, audit: { ...entry, occurredAt } }, 'audit entry could not be stored');
        throw err;
      }
    },

    async list({ actor, action, target, limit, beforeId }) {
      let query = k.selectFrom('audit.entries').selectAll().orderBy('id', 'desc').limit(limit);
      if (actor) {
        query = query.where('actor_type', '=', actor.type);
        if (actor.id !== undefined) query = query.where('actor_id', '=', actor.id);
      }
      if (action) query = query.where('action', '=', action);
      if (target) {
        query = query.where('target_type', '=', target.type);
        if (target.id !== undefined) query = query.where('target_id', '=', target.id);
      }
      if (beforeId !== undefined) query = query.where('id', '<', beforeId);
      return (await query.execute()).map(toRecord);
    },
  };
}
