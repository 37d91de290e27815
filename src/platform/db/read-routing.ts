import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from './database.js';
import { isDatabaseUnavailable } from './database-errors.js';

/**
 * Where reads that tolerate lag go (catalog lists, order history): a healthy streaming replica, round-robin,
 * or the primary. Writes and reads that must be current keep using the primary Database as before; this
 * layer sits beside it, so a service opts in per query (`reads.read(writer, (db) => …)`) and changes nothing else.
 *
 * Read-your-writes: after `wrote(writer)` the writer's reads go to the primary for `windowMs`. A replica
 * counts as healthy only while its measured lag is at most `maxLagMs` (a down replica, one that is not in
 * recovery, or one whose replay is paused falls out of rotation), and the window is at least the lag
 * bound plus one check interval, so once the window ends any replica still in rotation has replayed the
 * write. The window is per process: docs/database-faults.md says what that means behind a load balancer.
 */
export interface ReadRouting {
  readonly primary: Database;
  /** runs `work` on a healthy replica, or on the primary (no healthy replica, or `writer` wrote within the window); a replica failing mid-read is taken out of rotation and the read rerun on the primary */
  read<T>(writer: string | undefined, work: (db: Database) => Promise<T>): Promise<T>;
  /** after a write of `writer` committed: their reads go to the primary for the window */
  wrote(writer: string): void;
  /** one health pass now (the loop runs every checkIntervalMs) */
  check(): Promise<void>;
  status(): ReplicaStatus[];
  /** stops the checks and closes the replica pools (the primary belongs to its opener) */
  close(): Promise<void>;
}

export interface ReplicaStatus {
  name: string;
  healthy: boolean;
  /** how far behind the primary it was at the last check, in ms (resolution: the check interval); null when unknown */
  lagMs: number | null;
  reason?: string;
}

export interface ReadRoutingOptions {
  primary: Database;
  replicas: Array<{ name: string; db: Database }>;
  /** a replica further behind than this is out of rotation. Default 2 s */
  maxLagMs?: number;
  checkIntervalMs?: number;
  /** read-your-writes window; at least maxLagMs + checkIntervalMs. Default 5 s */
  windowMs?: number;
  /** writers remembered at once (the oldest are forgotten first) */
  maxWriters?: number;
  logger?: Logger;
  now?: () => number;
}

/** 'X/Y' (pg_lsn as text) → a comparable number of bytes */
export const parseLsn = (text: string): bigint => {
  const [hi, lo] = text.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
};

interface Replica { name: string; db: Database; healthy: boolean; lagMs: number | null; reason?: string }

export function createReadRouting(options: ReadRoutingOptions): ReadRouting {
  const { primary, maxLagMs = 2_000, checkIntervalMs = 1_000, maxWriters = 100_000, logger, now = Date.now } = options;
  const windowMs = options.windowMs ?? Math.max(5_000, maxLagMs + checkIntervalMs);
  if (windowMs < maxLagMs + checkIntervalMs) throw new RangeError('the read-your-writes window must be at least the replica lag bound plus one check interval');
  const replicas: Replica[] = options.replicas.map(({ name, db }) => ({ name, db, healthy: false, lagMs: null, reason: 'not checked yet' }));
  const writers = new Map<string, number>();
  /** the primary's WAL position over time, newest last: a replica's lag is how old the first position it has not replayed is */
  const samples: Array<{ at: number; lsn: bigint }> = [];
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<void> | undefined;

  const setHealth = (replica: Replica, healthy: boolean, lagMs: number | null, reason?: string) => {
    if (replica.healthy !== healthy) {
      if (healthy) logger?.info({ replica: replica.name, lagMs }, 'database replica back in rotation');
      else logger?.warn({ replica: replica.name, lagMs, reason }, 'database replica out of rotation; its reads go elsewhere');
    }
    Object.assign(replica, { healthy, lagMs, reason });
  };

  const lagOf = (replayed: bigint, at: number): number => {
    const behind = samples.find((s) => s.lsn > replayed);
    return behind ? at - behind.at : 0;
  };

  const checkOnce = async () => {
    const at = now();
    try {
      const { rows } = await sql<{ lsn: string }>`select pg_current_wal_flush_lsn()::text as lsn`.execute(primary.kysely);
      samples.push({ at, lsn: parseLsn(rows[0]!.lsn) });
      if (samples.length > 600) samples.splice(0, samples.length - 600);
    } catch {
      // the primary is down: the replicas' lag cannot be measured, their last verdict stands
      return;
    }
    await Promise.all(replicas.map(async (replica) => {
      try {
        const { rows } = await sql<{ standby: boolean; lsn: string | null; paused: boolean }>`
          select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as lsn,
                 case when pg_is_in_recovery() then pg_is_wal_replay_paused() else false end as paused`.execute(replica.db.kysely);
        const row = rows[0]!;
        if (!row.standby || !row.lsn) return setHealth(replica, false, null, 'not a standby (promoted, or not a replica)');
        const lagMs = lagOf(parseLsn(row.lsn), at);
        if (lagMs > maxLagMs) return setHealth(replica, false, lagMs, row.paused ? 'replay paused' : `lag ${lagMs} ms over ${maxLagMs} ms`);
        setHealth(replica, true, lagMs);
      } catch (err) {
        setHealth(replica, false, null, (err as Error).message);
      }
    }));
  };

  const check = () => (checking ??= checkOnce().finally(() => (checking = undefined)));

  if (replicas.length > 0) {
    timer = setInterval(() => void check(), checkIntervalMs);
    timer.unref?.();
  }

  const pick = (): Replica | undefined => {
    for (let i = 0; i < replicas.length; i++) {
      const replica = replicas[(next + i) % replicas.length]!;
      if (replica.healthy) {
        next = (next + i + 1) % replicas.length;
        return replica;
      }
    }
    return undefined;
  };

  return {
    primary,
    async read(writer, work) {
      const until = writer === undefined ? undefined : writers.get(writer);
      if (until !== undefined && until <= now()) writers.delete(writer!);
      const replica = until !== undefined && until > now() ? undefined : pick();
      if (!replica) return work(primary);
      try {
        return await work(replica.db);
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        setHealth(replica, false, replica.lagMs, `read failed: ${(err as Error).message}`);
        return work(primary);
      }
    },
    wrote(writer) {
      writers.delete(writer); // re-inserted at the end: the Map's order is the forgetting order
      writers.set(writer, now() + windowMs);
      if (writers.size > maxWriters) writers.delete(writers.keys().next().value!);
    },
    check,
    status: () => replicas.map(({ name, healthy, lagMs, reason }) => ({ name, healthy, lagMs, ...(reason ? { reason } : {}) })),
    async close() {
      clearInterval(timer);
      await checking;
      await Promise.all(replicas.map((r) => r.db.close()));
    },
  };
}

/** No replicas (PGlite, or none configured): every read on the primary. */
export const primaryOnly = (primary: Database): ReadRouting => createReadRouting({ primary, replicas: [] });
