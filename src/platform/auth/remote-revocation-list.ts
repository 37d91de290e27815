import type { Logger } from 'pino';
import type { PostgresListener } from '../db/postgres-listener.js';
import { createNotifiedPollingWorker, NOTIFIED_POKE_INTERVAL_MS } from '../db/notified-polling-worker.js';
import type { Worker } from '../service.js';
import type { RevocationList } from './revocation-list.js';
import { createRevocationMemory, firstLoad, type RevocationRecord } from './revocation-memory.js';

export interface RemoteRevocationListOptions {
  /** the revocations made after `sinceMs` (the customers service's contract call); oldest first, a page at most */
  fetchSince: (sinceMs: number) => Promise<RevocationRecord[]>;
  logger: Logger;
  clock?: () => Date;
  /** how often the owner is asked for new revocations: the staleness bound, as in the SQL adapter */
  pollMs?: number;
  /**
   * The owner's notifications, when this process can hear them: a listener on the PostgreSQL channel its revocations
   * notify (sql-revocation-list.ts `revocationChannel`), made when the worker starts. Each notification, and each
   * (re)connection of the listener, asks the owner at once; polling stays for what a lost connection missed. Absent
   * (PGlite, a transaction-pooling PgBouncer, another database than the owner's): polling alone.
   */
  listen?: (onNotify: () => void) => PostgresListener;
  /**
   * Notifications ask the owner at most this often (default NOTIFIED_POKE_INTERVAL_MS, 50 ms): a burst of revocations
   * (an admin deactivating accounts) would otherwise make every process of every service call the owner back to back
   */
  minNotifiedIntervalMs?: number;
}

/**
 * A read-only copy of another process's revocation list, kept by asking it for what is new every `pollMs`: a
 * `floodgate serve` process verifies access tokens itself (signature against the JWKS, revocation from memory)
 * instead of calling the customers service on every request, and still refuses a revoked token within the same
 * half second a customers process would — within milliseconds where it hears the owner's notifications (`listen`).
 * Only the owner revokes; the first check waits for the first copy.
 */
export function createRemoteRevocationList({ fetchSince, logger, clock = () => new Date(), pollMs = 500, listen, minNotifiedIntervalMs = NOTIFIED_POKE_INTERVAL_MS }: RemoteRevocationListOptions): RevocationList & {
  worker: Worker;
  sync(): Promise<number>;
  /** true while the owner's notifications wake this copy (its listening connection is up) */
  listening(): boolean;
} {
  const memory = createRevocationMemory(clock);
  let seenUpTo = 0;

  const sync = async (): Promise<number> => {
    let fetched = 0;
    for (;;) {
      const rows = await fetchSince(seenUpTo);
      // the owner pages by its own order; a page that brings nothing newer ends the round either way
      const before = seenUpTo;
      for (const r of rows) {
        memory.remember(r);
        seenUpTo = Math.max(seenUpTo, r.revokedAt);
      }
      fetched += rows.length;
      if (rows.length === 0 || seenUpTo === before) return fetched;
    }
  };

  const ready = firstLoad(sync);


  let passes = 0;
  // Polling alone let a token revoked in the customers service pass here for up to pollMs (and more on a loaded
  // process, whose timers run late); the owner's notification makes this copy ask at once
  const { worker, listening } = createNotifiedPollingWorker({
    name: 'revocation-list-copy',
    logger,
    idleMs: pollMs,
    listen,
    minPokeIntervalMs: minNotifiedIntervalMs,
    pass: async () => {
      await ready();
      await sync();
      if (++passes % Math.max(1, Math.round(60_000 / pollMs)) === 0) memory.prune();
      return 0;
    },
  });

  const readOnly = () => Promise.reject(new Error('revocations are made by the customers service; this process holds a read-only copy'));
  return {
    maxStalenessMs: pollMs,
    revokeSession: readOnly,
    revokeSubject: readOnly,
    async isRevoked(token) {
      await ready();
      return memory.isRevoked(token);
    },
    isRevokedNow: (token) => (ready.done() ? memory.isRevoked(token) : undefined),
    worker,
    sync,
    listening,
  };
}
