import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';
import { createPollingWorker } from '../polling-worker.js';
import type { Worker } from '../service.js';
import type { RevocationList } from './revocation-list.js';

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
 * Memory set + PostgreSQL table: revoking writes the row and updates this process's memory at once;
 * every process polls for rows newer than the last it saw (every `pollMs`), and checks are memory
 * lookups. Expired rows are pruned, so memory and table hold only revocations whose tokens could
 * still be valid (at most the longest token lifetime's worth).
 */
export function createSqlRevocationList({ db, table, logger, clock = () => new Date(), pollMs = 500 }: SqlRevocationListOptions): RevocationList & { worker: Worker; sync(): Promise<number> } {
  if (!/^[a-z_]+\.[a-z_]+$/.test(table)) throw new Error(`invalid revocation table ${table}`);
  const k = db.kysely as Kysely<Record<string, Row>>;
  const tableRef = sql.table(table);
  // Plain maps, not an LRU: a revocation must never be evicted while its tokens can still be valid (an
  // evicted one would let a revoked token work again), and an LRU sized for the worst case preallocates it
  // (lru-cache allocated ~80 MB for two lists of a million). Entries leave when they expire (prune below).
  // session id → when its tokens have all expired (ms)
  const sessions = new Map<string, number>();
  // subject → tokens issued at or before notBefore (ms) are revoked, until expiresAt (ms)
  const subjects = new Map<string, { notBefore: number; expiresAt: number }>();
  const prune = () => {
    const now = clock().getTime();
    for (const [id, expiresAt] of sessions) if (expiresAt <= now) sessions.delete(id);
    for (const [id, s] of subjects) if (s.expiresAt <= now) subjects.delete(id);
  };
  let seenUpTo = 0;
  let loaded: Promise<void> | undefined;

  const remember = (r: Pick<Row, 'kind' | 'id' | 'not_before' | 'expires_at'>) => {
    const expiresAt = r.expires_at.getTime();
    if (expiresAt <= clock().getTime()) return;
    if (r.kind === 'session') {
      sessions.set(r.id, Math.max(sessions.get(r.id) ?? 0, expiresAt));
      return;
    }
    const held = subjects.get(r.id);
    subjects.set(r.id, { notBefore: Math.max(held?.notBefore ?? 0, r.not_before?.getTime() ?? 0), expiresAt: Math.max(held?.expiresAt ?? 0, expiresAt) });
  };

  const sync = async (): Promise<number> => {
    let fetched = 0;
    for (;;) {
      const since = new Date(Math.max(0, seenUpTo - OVERLAP_MS));
      const { rows } = await sql<Row>`
        select kind, id, not_before, expires_at, revoked_at from ${tableRef}
        where revoked_at > ${since} and expires_at > ${clock()}
        order by revoked_at limit ${PAGE}`.execute(k);
      for (const r of rows) {
        remember(r);
        seenUpTo = Math.max(seenUpTo, r.revoked_at.getTime());
      }
      fetched += rows.length;
      if (rows.length < PAGE) return fetched;
    }
  };

  const ready = () => {
    if (!loaded) {
      const load = sync().then(() => undefined);
      loaded = load;
      // a failed first load (database down) is retried by the next check, not remembered
      load.catch(() => {
        if (loaded === load) loaded = undefined;
      });
    }
    return loaded;
  };

  const write = async (kind: Row['kind'], id: string, notBefore: Date | null, until: Date) => {
    await sql`
      insert into ${tableRef} (kind, id, not_before, expires_at, revoked_at)
      values (${kind}, ${id}, ${notBefore}, ${until}, clock_timestamp())
      on conflict (kind, id) do update set
        not_before = greatest(${tableRef}.not_before, excluded.not_before),
        expires_at = greatest(${tableRef}.expires_at, excluded.expires_at),
        revoked_at = clock_timestamp()`.execute(k);
    remember({ kind, id, not_before: notBefore, expires_at: until });
  };

  let passes = 0;
  const worker = createPollingWorker({
    name: 'revocation-list-sync',
    logger,
    idleMs: pollMs,
    pass: async () => {
      await ready();
      await sync();
      // pruning is housekeeping: once a minute is plenty, and any process may do it
      if (++passes % Math.max(1, Math.round(60_000 / pollMs)) === 0) {
        prune();
        await sql`delete from ${tableRef} where expires_at < ${clock()}`.execute(k);
      }
      return 0;
    },
  });

  return {
    maxStalenessMs: pollMs,
    revokeSession: (sessionId, until) => write('session', sessionId, null, until),
    revokeSubject: (subject, at, until) => write('subject', subject, at, until),
    async isRevoked({ sid, sub, iat }) {
      await ready();
      const now = clock().getTime();
      const session = sessions.get(sid);
      if (session !== undefined && session > now) return true;
      const subject = subjects.get(sub);
      return subject !== undefined && subject.expiresAt > now && iat * 1000 <= subject.notBefore;
    },
    worker,
    sync,
  };
}
