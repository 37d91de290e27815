// How long a revocation made in one process takes to reach another: two revocation lists (sql-revocation-list.ts,
// the customers service's adapter) on one fresh PostgreSQL database, as two processes of a deployment have. One
// revokes a session; the time is taken from the revoking write's return to the moment the other list answers
// `revoked`, first with notifications (the default: the other list LISTENs and reads at once), then polling alone
// (as a process behind PgBouncer's transaction pooling does). The pause after each revocation steps through the poll
// period (a fixed pause locked onto the poll's phase: every revocation then waited the same), so that polling alone
// shows its spread. Then the same for another service's copy of the list (remote-revocation-list.ts: what a
// `floodgate serve` process other than customers holds, fed by the customers contract's `revocationsSince`, called
// in-process here rather than over HTTP), listening to the owner's notifications and then polling alone.
//   node --import tsx bench/revocation-spread.ts [--revocations 20] [--poll-ms 500]
// Needs PostgreSQL (FLOODGATE_TEST_POSTGRES_URL, default the local one); the database is dropped at the end.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pino from 'pino';
import { createRemoteRevocationList } from '../src/platform/auth/remote-revocation-list.js';
import { createSqlRevocationList, revocationChannel } from '../src/platform/auth/sql-revocation-list.js';
import { REVOCATION_TABLE_DDL } from '../src/platform/auth/revocation-table.test-support.js';
import { createPostgresDatabase, type Database } from '../src/platform/db/database.js';
import { createPostgresTestDatabaseUrl } from '../test/support/databases.js';
import { serviceAvailable, TEST_SERVICES } from '../test/support/services.js';
import { exitWithHelpWhenAsked, loadNote, machineNote } from './support/bench-report.js';

exitWithHelpWhenAsked();
const { values } = parseArgs({ options: { revocations: { type: 'string', default: '20' }, 'poll-ms': { type: 'string', default: '500' } } });
const revocations = Number(values.revocations);
const pollMs = Number(values['poll-ms']);
if (!Number.isInteger(revocations) || revocations < 1 || !Number.isFinite(pollMs) || pollMs <= 0) throw new Error('--revocations must be a positive integer and --poll-ms a positive number');
const log = (m: string) => process.stderr.write(`${m}\n`);
if (!(await serviceAvailable('postgres'))) {
  log(`bench:revocations needs PostgreSQL at ${TEST_SERVICES.postgres}: start it (see .ci/run) or set FLOODGATE_TEST_POSTGRES_URL`);
  process.exit(1);
}

const logger = pino({ level: 'silent' });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const table = 'revocation_test.revocations';
const fresh = await createPostgresTestDatabaseUrl();
const db = await createPostgresDatabase({ connectionString: fresh.url });

type Owner = ReturnType<typeof createSqlRevocationList>;
type Copy = Pick<Owner, 'worker' | 'sync' | 'isRevoked'>;
/** the customers service's other process: the same table, notified through `other` when it can listen */
const ownerProcess = (other: Database) => (): Copy => createSqlRevocationList({ db: other, table, logger, pollMs });
/** another service's process: a copy fed by the owner's `listSince`, notified through `other` when it can listen */
const serviceCopy = (other: Database) => (owner: Owner): Copy =>
  createRemoteRevocationList({
    fetchSince: (since) => owner.listSince(since),
    logger,
    pollMs,
    ...(other.listen ? { listen: (onNotify: () => void) => other.listen!(revocationChannel(table), onNotify) } : {}),
  });

/** ms from each revoking write to the other list's `revoked`, sorted */
async function spread(makeOther: (owner: Owner) => Copy): Promise<number[]> {
  const one = createSqlRevocationList({ db, table, logger, pollMs });
  const two = makeOther(one);
  two.worker.start();
  const times: number[] = [];
  try {
    await two.sync();
    for (let i = 0; i < revocations; i++) {
      const token = { sid: `bench-${i}-${Math.random()}`, sub: 'bench', iat: Math.floor(Date.now() / 1000) };
      await one.revokeSession(token.sid, new Date(Date.now() + 3_600_000));
      const written = performance.now();
      const giveUpAt = written + 10 * pollMs + 5_000;
      while (!(await two.isRevoked(token))) {
        if (performance.now() > giveUpAt) throw new Error(`revocation ${i} did not reach the other list in ${Math.round(giveUpAt - written)} ms`);
        await wait(1);
      }
      times.push(performance.now() - written);
      await wait(20 + ((i * 7919) % pollMs));
      log(`  ${i + 1}/${revocations}`);
    }
  } finally {
    await two.worker.stop();
  }
  return times.sort((a, b) => a - b);
}

try {
  await sql.raw(REVOCATION_TABLE_DDL).execute(db.kysely);
  log(`bench:revocations — ${machineNote()}; ${revocations} revocations, poll every ${pollMs} ms`);
  const { listen: _ignored, ...withoutListen } = db;
  log('the owner\'s other process, with notifications (LISTEN)');
  const notified = await spread(ownerProcess(db));
  log('the owner\'s other process, polling alone');
  const polled = await spread(ownerProcess(withoutListen));
  log('another service\'s copy, with notifications (LISTEN)');
  const copyNotified = await spread(serviceCopy(db));
  log('another service\'s copy, polling alone');
  const copyPolled = await spread(serviceCopy(withoutListen));
  const at = (t: number[], q: number) => t[Math.min(t.length - 1, Math.floor(q * t.length))]!.toFixed(1);
  const row = (name: string, t: number[]) => `| ${name} | ${at(t, 0)} | ${at(t, 0.5)} | ${at(t, 0.99)} | ${t.at(-1)!.toFixed(1)} |`;
  console.log(`\nbench:revocations — ${new Date().toISOString()} — ${machineNote()}; ${loadNote()}`);
  console.log(`${revocations} revocations, poll period ${pollMs} ms; ms from the revoking write to the other process's list answering "revoked"\n`);
  console.log('| delivery | min | p50 | p99 | max |\n|---|---:|---:|---:|---:|');
  console.log(row('customers process: notification (LISTEN) + poll', notified));
  console.log(row('customers process: poll alone', polled));
  console.log(row('another service\'s copy: notification (LISTEN) + poll', copyNotified));
  console.log(row('another service\'s copy: poll alone', copyPolled));
} finally {
  await db.close();
  await fresh.drop();
}
