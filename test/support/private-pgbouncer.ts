import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createPostgresDatabase } from '../../src/platform/db/database.js';
import { migrateAll, type MigrationSource } from '../../src/platform/db/migrate.js';
import { createPostgresTestDatabaseUrl, type TestDatabase } from './databases.js';
import { freePort } from './private-postgres.js';
import { serviceAvailable, TEST_SERVICES } from './services.js';
import { waitFor } from './wait-for.js';

const run = promisify(execFile);
const BINARY = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => existsSync(p));

/**
 * A PgBouncer of our own in transaction mode (the mode of deploy/pgbouncer/pgbouncer.ini) on a free port, in
 * front of the shared PostgreSQL: every database name is passed through, so a test's fresh database is
 * reachable through it. Its settings come from the deploy config, so the stores are tested against what
 * production runs.
 */
export interface PrivatePgbouncer {
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  urlFor(database: string): string;
  /** closes every client and server connection of one database (admin console KILL), so it can be dropped at once */
  kill(database: string): Promise<void>;
  log(): string;
  [Symbol.asyncDispose](): Promise<void>;
}

/** True when the pgbouncer binary is installed; under CI=true its absence is an error (.ci/run installs it). */
export function pgbouncerAvailable(): boolean {
  if (BINARY) return true;
  const message = 'pgbouncer is not installed (apt-get install pgbouncer)';
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it`);
  console.warn(`\n[floodgate tests] SKIPPING PgBouncer tests: ${message}.\n`);
  return false;
}

const asRoot = process.getuid?.() === 0;

/** `settings` replace the deploy config's (e.g. `default_pool_size: '1'`: every client shares one server connection) */
export async function startPrivatePgbouncer(upstream = TEST_SERVICES.postgres, settings: Record<string, string> = {}): Promise<PrivatePgbouncer> {
  if (!BINARY) throw new Error('pgbouncer not installed; check pgbouncerAvailable() first');
  const dir = mkdtempSync(join(tmpdir(), 'floodgate-pgbouncer-'));
  const port = await freePort();
  const server = new URL(upstream);
  const user = decodeURIComponent(server.username || 'postgres');
  // the deploy config's pool settings, with test paths, port and trust auth (the shared server is trust)
  const deployed = readFileSync(new URL('../../deploy/pgbouncer/pgbouncer.ini', import.meta.url), 'utf8');
  const poolSettings = deployed
    .split('\n')
    .filter((line) => /^(pool_mode|ignore_startup_parameters|max_prepared_statements|server_reset_query_always|default_pool_size|max_client_conn)\s*=/.test(line))
    .filter((line) => !(line.split('=')[0]!.trim() in settings))
    .concat(Object.entries(settings).map(([key, value]) => `${key} = ${value}`));
  writeFileSync(join(dir, 'userlist.txt'), `"${user}" ""\n`);
  writeFileSync(join(dir, 'pgbouncer.ini'), [
    '[databases]',
    `* = host=${server.hostname} port=${server.port || 5432} user=${user}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    `unix_socket_dir = ${dir}`,
    'auth_type = trust',
    `auth_file = ${join(dir, 'userlist.txt')}`,
    `admin_users = ${user}`,
    `logfile = ${join(dir, 'pgbouncer.log')}`,
    ...poolSettings,
    '',
  ].join('\n'));
  if (asRoot) {
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    for (const f of ['', 'userlist.txt', 'pgbouncer.ini']) chownSync(join(dir, f), Number(uid.trim()), Number(gid.trim()));
  }
  // pgbouncer refuses to run as root
  const child: ChildProcess = asRoot
    ? spawn('runuser', ['-u', 'postgres', '--', BINARY, join(dir, 'pgbouncer.ini')], { stdio: 'ignore' })
    : spawn(BINARY, [join(dir, 'pgbouncer.ini')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => (existsSync(join(dir, 'pgbouncer.log')) ? readFileSync(join(dir, 'pgbouncer.log'), 'utf8') : '');
  const urlFor = (database: string) => `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/${database}`;
  const admin = async (command: string) => {
    const client = new pg.Client({ connectionString: urlFor('pgbouncer') });
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query(command);
    } finally {
      await client.end().catch(() => {});
    }
  };
  try {
    await waitFor('pgbouncer to accept connections', async () => {
      if (child.exitCode !== null) throw Object.assign(new Error(`pgbouncer exited (${child.exitCode}):\n${log()}`), { fatal: true });
      await admin('SHOW VERSION');
      return true;
    }, { timeoutMs: 15_000 });
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    urlFor,
    kill: (database) => admin(`KILL ${database}`),
    log,
    async [Symbol.asyncDispose]() {
      // runuser passes SIGTERM on to pgbouncer
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A database adapter like databaseAdapters()'s, whose connections go through one private PgBouncer. */
export async function pgbouncerAdapter(): Promise<{ available: boolean; create(sources: MigrationSource[]): Promise<TestDatabase>; [Symbol.asyncDispose](): Promise<void> }> {
  const available = pgbouncerAvailable() && (await serviceAvailable('postgres'));
  let bouncer: Promise<PrivatePgbouncer> | undefined;
  return {
    available,
    async create(sources) {
      const fresh = await createPostgresTestDatabaseUrl();
      const name = new URL(fresh.url).pathname.slice(1);
      const through = await (bouncer ??= startPrivatePgbouncer());
      // a 200-way race waits for one of 20 connections on a loaded 2-core machine: contention, not an outage
      const db = await createPostgresDatabase({ connectionString: through.urlFor(name), maxConnections: 20, queryTimeoutMs: 10_000, connectTimeoutMs: 20_000, transactionPooled: true });
      await migrateAll(db, sources);
      return {
        db,
        async dispose() {
          await db.close();
          await through.kill(name); // its pooled server connections would otherwise hold the database open
          await fresh.drop();
        },
      };
    },
    async [Symbol.asyncDispose]() {
      if (bouncer) await (await bouncer)[Symbol.asyncDispose]();
    },
  };
}
