import pg from 'pg';
import type { Logger } from 'pino';
import { createAggregatedFailureLog } from '../telemetry/failure-log.js';
import { jitteredBackoffMs } from '../resilience/backoff.js';
import { describeDatabaseError } from './database-errors.js';

export interface PostgresListenerOptions {
  connectionString: string;
  /** a lower-case identifier: the channel's name is written into `LISTEN` as it is */
  channel: string;
  /**
   * A notification on the channel arrived, or the listener (re)connected: notifications sent while it had no
   * connection are lost (PostgreSQL keeps none for an absent listener), so the owner looks for what it missed.
   */
  onNotify: () => void;
  logger: Logger;
  connectTimeoutMs?: number;
  /** wait before reconnecting after the n-th failure in a row: half to all of initialMs·2^(n-1), at most maxMs (backoff.ts) */
  backoff?: { initialMs: number; maxMs: number };
}

export interface PostgresListener {
  /** true while the connection is up and listening */
  listening(): boolean;
  /** ends the connection and stops reconnecting */
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** what the listening connection calls itself in pg_stat_activity (operators, and the tests that cut it) */
export const LISTENER_APPLICATION_NAME = 'floodgate-listener';

/**
 * One connection of its own that LISTENs on a channel, for a change other processes must hear about at once (a
 * revocation) rather than at their next poll. Notifications are a wake-up, never the data: the owner still reads
 * what changed from its table, and keeps polling, so a lost connection only delays it to the next poll. A lost
 * connection is made again with backoff, and each new one tells the owner to look (what was sent meanwhile is lost).
 *
 * Not through a transaction-pooling PgBouncer: LISTEN needs a session of its own (the caller does not create one there).
 */
export function createPostgresListener({ connectionString, channel, onNotify, logger, connectTimeoutMs = 5_000, backoff = { initialMs: 200, maxMs: 5_000 } }: PostgresListenerOptions): PostgresListener {
  if (!CHANNEL.test(channel)) throw new Error(`invalid notification channel ${channel}`);
  const failures = createAggregatedFailureLog({ logger, dependency: `database listener (${channel})`, isTransient: () => true, describe: describeDatabaseError });
  let client: pg.Client | undefined;
  let up = false;
  let closed = false;
  let failed = 0;
  let timer: NodeJS.Timeout | undefined;

  const retry = () => {
    if (closed || timer) return;
    // jittered: after a server restart, every process's listener does not reconnect in the same instant
    const delay = jitteredBackoffMs(++failed, backoff);
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    timer.unref?.();
  };

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString, connectionTimeoutMillis: connectTimeoutMs, keepAlive: true, application_name: LISTENER_APPLICATION_NAME });
    client = c;
    let gone = false;
    // the connection ended (server restart, a terminated backend, a network cut): once per connection
    const lost = (err?: unknown) => {
      if (gone) return;
      gone = true;
      up = false;
      if (client === c) client = undefined;
      if (closed) return;
      failures.failure('listen', err ?? new Error('the listening connection ended'));
      void c.end().catch(() => {});
      retry();
    };
    c.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    c.on('error', lost);
    c.on('end', () => lost());
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
    } catch (err) {
      lost(err);
      return;
    }
    if (gone) return;
    if (closed) {
      void c.end().catch(() => {});
      return;
    }
    up = true;
    failed = 0;
    failures.success('listen');
    onNotify();
  };

  void connect();

  return {
    listening: () => up,
    async close() {
      closed = true;
      up = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
      failures.close();
    },
  };
}
