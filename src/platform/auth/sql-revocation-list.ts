import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { createNotifiedPollingWorker } from '../db/notified-polling-worker.js';
import type { Worker } from '../service.js';
import type { RevocationList } from './revocation-list.js';
import { createRevocationMemory, firstLoad, type RevocationRecord } from './revocation-memory.js';

export interface SqlRevocationListOptions {
  db: Database;
  /** the table (schema-qualified) of the service that owns sessions; see its migration */
  table: string;
  logger: Logger;
  clock?: () => Date;
  /** how often other processes' revocations are fetched; the staleness bound */
  pollMs?: number;
}

interface Row {
  kind: 'session' | 'subject';
  id: string;
  not_before: Date | null;
  expires_at: Date;
  revoked_at: Date;
}

// a revocation committed slightly after a later-stamped one is still picked up by the next poll
const OVERLAP_MS = 5_000;
const PAGE = 5_000;

/**
 * The PostgreSQL channel notified when a revocation in `table` commits: the owner's other processes and the remote
 * copies of other services (remote-revocation-list.ts) listen on it to fetch at once instead of at their next poll.
 */
export function revocationChannel(table: string): string {
  const channel = `revocations_${table.replace('.', '_')}`;
  // PostgreSQL truncates a longer channel name: refused at construction, rather than when a worker starts
  if (channel.length > 63) throw new Error(`revocation table name too long for its notification channel: ${table}`);
  return channel;
}

/**
 * Memory set + PostgreSQL table: revoking writes the row and updates this process's memory at once;
 * every process polls for rows newer than the last it saw (every `pollMs`, and at once when another
 * process's revocation notifies it: see the worker below), and checks are memory lookups. Expired rows
 * are pruned, so memory and table hold only revocations whose tokens could still be valid (at most the
 * longest token lifetime's worth).
 */
export function createSqlRevocationList({ db, table, logger, clock = () => new Date(), pollMs = 500 }: SqlRevocationListOptions): RevocationList & {
  worker: Worker;
  sync(): Promise<number>;
  listSince(sinceMs: number): Promise<RevocationRecord[]>;
  /** true while other processes' revocations wake this one (its listening connection is up) */
  listening(): boolean;
} {
  if (!/^[a-z_]+\.[a-z_]+$/.test(table)) throw new Error(`invalid revocation table ${table}`);
  const k = db.kysely as Kysely<Record<string, Row>>;
  const tableRef = sql.table(table);
  const memory = createRevocationMemory(clock);
  let seenUpTo = 0;

  /** revocations made after `sinceMs` (less an overlap) whose tokens can still be valid, oldest first, a page at most */
  const listSince = async (sinceMs: number): Promise<RevocationRecord[]> => {
    const since = new Date(Math.max(0, sinceMs - OVERLAP_MS));
    const { rows } = await sql<Row>`
      select kind, id, not_before, expires_at, revoked_at from ${tableRef}
      where revoked_at > ${since} and expires_at > ${clock()}
      order by revoked_at limit ${PAGE}`.execute(k);
    return rows.map((r) => ({ kind: r.kind, id: r.id, notBefore: r.not_before?.getTime() ?? null, expiresAt: r.expires_at.getTime(), revokedAt: r.revoked_at.getTime() }));
  };

  const sync = async (): Promise<number> => {
    let fetched = 0;
    for (;;) {
      const rows = await listSince(seenUpTo);
      for (const r of rows) {
        memory.remember(r);
        seenUpTo = Math.max(seenUpTo, r.revokedAt);
      }
      fetched += rows.length;
      if (rows.length < PAGE) return fetched;
    }
  };

  const ready = firstLoad(sync);


  // the other processes listening on the table's channel poll at once (PostgreSQL, outside PgBouncer's transaction pooling)
  const channel = revocationChannel(table);

  const write = async (kind: Row['kind'], id: string, notBefore: Date | null, until: Date) => {
    const upsert = sql`
      insert into ${tableRef} (kind, id, not_before, expires_at, revoked_at)
      values (${kind}, ${id}, ${notBefore}, ${until}, clock_timestamp())
      on conflict (kind, id) do update set
        not_before = greatest(${tableRef}.not_before, excluded.not_before),
        expires_at = greatest(${tableRef}.expires_at, excluded.expires_at),
        revoked_at = clock_timestamp()`;
    // in the same statement: the notification is sent when the row commits, and only then. Sent wherever PostgreSQL
    // may have listeners (even behind PgBouncer, where this process cannot listen: others may)
    if (db.kind === 'postgres') await sql`with written as (${upsert} returning 1) select pg_notify(${channel}, '') from written`.execute(k);
    else await upsert.execute(k);
    memory.remember({ kind, id, notBefore: notBefore?.getTime() ?? null, expiresAt: until.getTime() });
  };

  let passes = 0;
  // Polling alone bounds a revocation's spread by the poll period, and by more on a loaded process (a timer runs
  // late: 1.2 s was seen in CI); a notification makes every listening process poll at once
  const { worker, listening } = createNotifiedPollingWorker({
    name: 'revocation-list-sync',
    logger,
    idleMs: pollMs,
    listen: db.listen ? (onNotify) => db.listen!(channel, onNotify) : undefined,
    pass: async () => {
      await ready();
      await sync();
      // pruning is housekeeping: once a minute is plenty, and any process may do it
      if (++passes % Math.max(1, Math.round(60_000 / pollMs)) === 0) {
        memory.prune();
        await sql`delete from ${tableRef} where expires_at < ${clock()}`.execute(k);
      }
      return 0;
    },
  });

  return {
    maxStalenessMs: pollMs,
    listening,
    revokeSession: (sessionId, until) => write('session', sessionId, null, until),
    revokeSubject: (subject, at, until) => write('subject', subject, at, until),
    async isRevoked(token) {
      await ready();
      return memory.isRevoked(token);
    },
    isRevokedNow: (token) => (ready.done() ? memory.isRevoked(token) : undefined),
    worker,
    sync,
    listSince,
  };
}
