import { execFile } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.js';

const run = promisify(execFile);

export type StopMode = 'smart' | 'fast' | 'immediate';

/**
 * A PostgreSQL server that belongs to one test: its own data directory in a temp dir, its own free
 * port, trust auth for `postgres`. Fault tests stop, freeze and cut it; the shared server at :5432
 * is never touched.
 */
export interface PrivatePostgres extends AsyncDisposable {
  url: string;
  port: number;
  /** pg_ctl stop (default `fast`); `immediate` is a crash: no checkpoint, connections cut */
  stop(options?: { mode?: StopMode }): Promise<void>;
  /** start again on the same port and data directory (crash recovery runs after `immediate`) */
  start(): Promise<void>;
  /** SIGSTOP the postmaster and every backend: sockets stay open and nothing answers */
  freeze(): Promise<void>;
  /** SIGCONT whatever freeze() stopped */
  thaw(): Promise<void>;
  /** pg_terminate_backend on other client sessions (all, or the first `limit`); resolves the count */
  terminateBackends(options?: { limit?: number }): Promise<number>;
  /** stop the server whatever state it is in and delete its files */
  dispose(): Promise<void>;
}

/** Where initdb and pg_ctl are: FLOODGATE_TEST_PG_BIN, else the newest /usr/lib/postgresql/<v>/bin. */
export function postgresBinDir(): string | undefined {
  const configured = process.env.FLOODGATE_TEST_PG_BIN;
  if (configured) return existsSync(join(configured, 'initdb')) ? configured : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

/**
 * True when a private PostgreSQL can be started here. Under CI=true a missing initdb is an error,
 * not a skip (CI must never go green by testing less); elsewhere the skip is announced.
 */
export function privatePostgresAvailable(): boolean {
  if (postgresBinDir()) return true;
  const message = 'PostgreSQL server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or FLOODGATE_TEST_PG_BIN';
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires them (apt-get install postgresql)`);
  console.warn(`\n[floodgate tests] SKIPPING private-PostgreSQL fault tests: ${message}.\n`);
  return false;
}

// initdb refuses to run as root; as root the server runs as the `postgres` OS user
const asRoot = () => process.getuid?.() === 0;
const OS_USER = 'postgres';

async function pgTool(bin: string, tool: string, args: string[], timeoutMs = 60_000) {
  const file = join(bin, tool);
  const [cmd, argv] = asRoot() ? ['runuser', ['-u', OS_USER, '--', file, ...args]] : [file, args];
  return run(cmd, argv, { timeout: timeoutMs, encoding: 'utf8' });
}

/** pids whose parent is `pid` (every backend and auxiliary process of a postmaster) */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // the command name may hold spaces and parentheses; the fields after its last ')' are fixed
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      /* the process ended while we looked */
    }
  }
  return children;
}

const signal = (pid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
};

// if the test process dies without disposing (a crashed worker, Ctrl-C), no server may outlive it
const live = new Map<string, () => number | undefined>();
process.once('exit', () => {
  for (const [dir, postmaster] of live) {
    const pid = postmaster();
    if (pid) for (const p of [pid, ...childrenOf(pid)]) signal(p, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries not found; check privatePostgresAvailable() first');
  const dir = await mkdtemp(join(tmpdir(), 'floodgate-pg-'));
  if (asRoot()) {
    const { uid, gid } = osUser(OS_USER);
    chownSync(dir, uid, gid);
  }
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  let postmasterPid: number | undefined;
  let frozen: number[] = [];
  live.set(dir, () => postmasterPid);

  const logTail = async () => (await readFile(logFile, 'utf8').catch(() => '')).slice(-3_000);

  await pgTool(bin, 'initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  let port = await freePort();

  const start = async () => {
    // fsync off: these servers hold throwaway test data, and crash tests kill the server, not the OS
    const options = [
      `-c port=${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${dir}`,
      '-c fsync=off', '-c full_page_writes=off', '-c max_connections=100', '-c shared_buffers=32MB',
    ].join(' ');
    try {
      await pgTool(bin, 'pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '30', '-o', options, 'start']);
    } catch (err) {
      throw new Error(`private PostgreSQL did not start on port ${port}: ${(err as Error).message}\n${await logTail()}`);
    }
    postmasterPid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  };

  try {
    await start();
  } catch {
    // another process may have taken the free port between the probe and the bind: one more try
    port = await freePort();
    await start();
  }

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;

  const thaw = async () => {
    for (const pid of frozen) signal(pid, 'SIGCONT');
    frozen = [];
  };

  const stop = async ({ mode = 'fast' }: { mode?: StopMode } = {}) => {
    await thaw();
    await pgTool(bin, 'pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
    postmasterPid = undefined;
  };

  const dispose = async () => {
    if (!live.has(dir)) return;
    await thaw();
    if (postmasterPid) {
      await stop({ mode: 'immediate' }).catch(() => {
        const pid = postmasterPid;
        if (pid) for (const p of [pid, ...childrenOf(pid)]) signal(p, 'SIGKILL');
      });
    }
    live.delete(dir);
    await rm(dir, { recursive: true, force: true });
  };

  return {
    url,
    port,
    stop,
    start,
    async freeze() {
      if (!postmasterPid) throw new Error('the private PostgreSQL is not running');
      // the postmaster first, so it cannot fork a new backend between the scan and the stop
      signal(postmasterPid, 'SIGSTOP');
      const children = childrenOf(postmasterPid);
      for (const pid of children) signal(pid, 'SIGSTOP');
      frozen = [postmasterPid, ...children];
    },
    thaw,
    async terminateBackends({ limit }: { limit?: number } = {}) {
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => {}); // a failure surfaces through the query below
      await client.connect();
      try {
        const { rows } = await client.query<{ terminated: boolean }>(
          `select pg_terminate_backend(pid) as terminated from pg_stat_activity
            where backend_type = 'client backend' and pid <> pg_backend_pid()
            order by backend_start limit $1`,
          [limit ?? null],
        );
        return rows.filter((r) => r.terminated).length;
      } finally {
        await client.end();
      }
    },
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}

function osUser(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`running as root needs the '${user}' OS user to own a private PostgreSQL`);
  const fields = line.split(':');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}
