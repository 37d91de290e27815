import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/**
 * A PostgreSQL server of our own (initdb + pg_ctl in a temp dir, on a free port) that a fault test may stop,
 * freeze or rob of its backends. Fault tests never touch the shared server at 127.0.0.1:5432.
 *
 *   await using pgsrv = await startPrivatePostgres();
 *   const db = await createPostgresDatabase({ connectionString: pgsrv.url });
 *   await pgsrv.freeze(); … await pgsrv.thaw();
 */
export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust auth) */
  readonly url: string;
  readonly port: number;
  /** the temp dir holding data/, the socket and server.log */
  readonly baseDir: string;
  /** pg_ctl stop; `immediate` is a crash (no checkpoint, backends killed), `fast` a clean shutdown */
  stop(options?: { mode?: 'smart' | 'fast' | 'immediate' }): Promise<void>;
  /** start again on the same port and data (after stop) */
  start(): Promise<void>;
  /** SIGSTOP the postmaster and every backend: connects hang in the accept queue, queries never answer */
  freeze(): Promise<void>;
  /** SIGCONT what freeze() stopped */
  thaw(): Promise<void>;
  /**
   * pg_terminate_backend every client backend but the admin one (or only the first `limit`, busy ones
   * first, so a fault test can cut a connection in the middle of a transaction); the count terminated
   */
  terminateBackends(options?: { database?: string; limit?: number }): Promise<number>;
  /** runs one statement as the superuser and answers its rows (pg_wal_replay_pause() on a replica …) */
  query<R extends Record<string, unknown>>(text: string): Promise<R[]>;
  /** creates a database on this server and returns its url */
  createDatabase(name: string): Promise<string>;
  /** the server's log so far, for a failing test's message */
  log(): string;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The newest PostgreSQL binaries on this machine, or PG_BIN_DIR. */
export function postgresBinDir(): string | undefined {
  if (process.env.PG_BIN_DIR) return process.env.PG_BIN_DIR;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/**
 * True when initdb/pg_ctl exist. Like serviceAvailable(): under CI=true their absence is an error; elsewhere
 * the skip is announced.
 */
export function privatePostgresAvailable(): boolean {
  if (postgresBinDir()) return true;
  const message = 'PostgreSQL binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin or PG_BIN_DIR';
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires them`);
  console.warn(`\n[floodgate tests] SKIPPING private-PostgreSQL tests: ${message}.\n`);
  return false;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// initdb refuses to run as root; the `postgres` OS user owns the cluster then.
const asRoot = process.getuid?.() === 0;
const asPostgres = (bin: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', bin, ...args]) : run(bin, args));

/** Every child of the postmaster (backends, checkpointer, walwriter…), read from /proc. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // the comm field may hold spaces and parentheses; the ppid is the 2nd field after the last ')'
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // the process ended while we listed
    }
  }
  return children;
}

const signal = (pid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
};

// Servers still running when the test process exits (a crashed test, a missed dispose) are shut down with it.
const live = new Set<{ pid: () => number | undefined; baseDir: string }>();
process.once('exit', () => {
  for (const server of live) {
    const pid = server.pid();
    if (pid) {
      signal(pid, 'SIGCONT');
      for (const child of childrenOf(pid)) signal(child, 'SIGCONT');
      signal(pid, 'SIGQUIT'); // immediate shutdown
    }
    rmSync(server.baseDir, { recursive: true, force: true });
  }
});

/**
 * `replicaOf`: a streaming replica of that (private) server instead of a fresh cluster: pg_basebackup -R
 * copies it and writes the standby settings, and the replica streams from it on its own port.
 */
export async function startPrivatePostgres(options: { port?: number; replicaOf?: PrivatePostgres } = {}): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL binaries not found; check privatePostgresAvailable() first');
  const baseDir = mkdtempSync(join(tmpdir(), 'floodgate-pg-'));
  const dataDir = join(baseDir, 'data');
  const logFile = join(baseDir, 'server.log');
  const port = options.port ?? (await freePort());
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(baseDir, Number(stdout.trim()), Number(gid.trim()));
  }
  if (options.replicaOf) {
    // initdb's trust pg_hba allows replication connections from 127.0.0.1; -X stream copies the WAL alongside
    await asPostgres(join(bin, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(options.replicaOf.port), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream', '--no-sync']);
  } else {
    await asPostgres(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  }

  // fsync off: these servers live for one test and the OS never crashes under them. synchronous_commit
  // stays ON: with it off, `stop -m immediate` loses the last ~0.5 s of commits, so a crash test would
  // see acknowledged orders vanish (a 202 whose order then answers 404) through no fault of the shop
  const serverOptions = [
    `-p ${port}`,
    `-k ${baseDir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=100',
    '-c shared_buffers=32MB',
  ].join(' ');
  const pgCtl = (args: string[]) => asPostgres(join(bin, 'pg_ctl'), ['-D', dataDir, ...args]);
  const postmasterPid = () => {
    try {
      return Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
    } catch {
      return undefined;
    }
  };

  let frozen: number[] = [];
  const thaw = async () => {
    // backends first, so the postmaster does not see children it thinks hung
    for (const pid of [...frozen].reverse()) signal(pid, 'SIGCONT');
    frozen = [];
  };
  const start = async () => {
    await pgCtl(['start', '-w', '-t', '30', '-l', logFile, '-o', serverOptions]);
  };
  const stop = async ({ mode = 'fast' }: { mode?: 'smart' | 'fast' | 'immediate' } = {}) => {
    await thaw();
    await pgCtl(['stop', '-w', '-t', '30', '-m', mode]);
  };
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    client.on('error', () => {}); // the server may be stopped under us; the query's own rejection tells
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => {});
    }
  };

  const entry = { pid: postmasterPid, baseDir };
  live.add(entry);
  try {
    await start();
  } catch (err) {
    live.delete(entry);
    rmSync(baseDir, { recursive: true, force: true });
    throw err;
  }

  return {
    url,
    port,
    baseDir,
    start,
    stop,
    async freeze() {
      const pid = postmasterPid();
      if (!pid) throw new Error('the private PostgreSQL is not running');
      // the postmaster first, so it cannot fork new backends while we stop the existing ones
      signal(pid, 'SIGSTOP');
      frozen = [pid, ...childrenOf(pid)];
      for (const child of frozen.slice(1)) signal(child, 'SIGSTOP');
    },
    thaw,
    async terminateBackends({ database, limit }: { database?: string; limit?: number } = {}) {
      return admin(async (client) => {
        const { rows } = await client.query<{ n: number }>(
          `select count(pg_terminate_backend(pid))::int as n from (
             select pid from pg_stat_activity
              where pid <> pg_backend_pid() and backend_type = 'client backend' and ($1::text is null or datname = $1)
              order by (state = 'active') desc, backend_start
              limit $2) as chosen`,
          [database ?? null, limit ?? null],
        );
        return rows[0]?.n ?? 0;
      });
    },
    query: <R extends Record<string, unknown>>(text: string) => admin(async (client) => (await client.query<R>(text)).rows),
    async createDatabase(name: string) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      await admin((client) => client.query(`create database ${name}`));
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async [Symbol.asyncDispose]() {
      await thaw();
      if (postmasterPid()) await stop({ mode: 'immediate' }).catch(() => {});
      live.delete(entry);
      rmSync(baseDir, { recursive: true, force: true });
    },
  };
}
