import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'amqplib';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { enqueueEvent } from '../../src/platform/bus/outbox.js';
import { deleteTopology, topologyNames } from '../../src/platform/bus/rabbitmq-topology.js';
import { createPostgresDatabase } from '../../src/platform/db/database.js';
import { migrateAll } from '../../src/platform/db/migrate.js';
import { seededRandom } from '../../src/loadtest/virtual-user.js';
import { createPostgresTestDatabaseUrl } from '../support/databases.js';
import { CRASH_EVENT_TYPE, CRASH_SUBSCRIBER } from '../support/delivery-crash-process.js';
import { uniqueExchange } from '../support/rabbitmq-topology.js';
import { serviceAvailable, TEST_SERVICES } from '../support/services.js';
import { waitFor } from '../support/wait-for.js';

const FIXTURE = fileURLToPath(new URL('../support/delivery-crash-process.ts', import.meta.url));
const ready = (await serviceAvailable('postgres')) && (await serviceAvailable('rabbitmq'));
const SEED = Number(process.env.FLOODGATE_FAULT_SEED ?? 9);
const EVENTS = 40;
const SCHEMA = 'crashtest';

interface Fixture { child: ChildProcess; output(): string; crashed: Promise<string> }

/** starts the fixture and resolves once it is READY; `crashed` resolves with its CRASHPOINT line */
async function startFixture(env: Record<string, string>): Promise<Fixture> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let onCrash: (line: string) => void = () => {};
  const crashed = new Promise<string>((resolve) => (onCrash = resolve));
  let onReady: () => void = () => {};
  const isReady = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout!.on('data', (d: Buffer) => {
    output += d.toString();
    if (output.includes('READY')) onReady();
    const crash = /CRASHPOINT [^\n]+/.exec(output);
    if (crash) onCrash(crash[0]);
  });
  child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`fixture ${env.ROLE} exited (${code ?? signal}) before it was ready:\n${output}`))));
  await Promise.race([isReady, exited]);
  exited.catch(() => {});
  return { child, output: () => output, crashed };
}

const killHard = (f: Fixture) => new Promise<void>((resolve) => {
  if (f.child.exitCode !== null || f.child.signalCode !== null) return resolve();
  f.child.once('exit', () => resolve());
  f.child.kill('SIGKILL');
});

const stopCleanly = (f: Fixture) => new Promise<void>((resolve) => {
  if (f.child.exitCode !== null || f.child.signalCode !== null) return resolve();
  f.child.once('exit', () => resolve());
  f.child.kill('SIGTERM');
});

/** ready messages in the test's consumer queue; rejects while the queue does not exist */
async function queueDepth(exchange: string): Promise<number> {
  const connection = await connect(TEST_SERVICES.rabbitmq);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => {}); // a missing queue closes the channel; checkQueue rejects with it
    return (await channel.checkQueue(topologyNames(exchange, CRASH_SUBSCRIBER).queue)).messageCount;
  } finally {
    await connection.close().catch(() => {});
  }
}

describe.skipIf(!ready)('fault: publisher and consumer processes killed (kill -9) mid-delivery', () => {
  it(`when the relay dies between commit and publish or publish and bookkeeping, and the consumer between commit and ack, repeatedly (seed ${SEED}), then every event is applied exactly once`, { timeout: 180_000 }, async () => {
    const database = await createPostgresTestDatabaseUrl();
    const exchange = uniqueExchange();
    const empty = mkdtempSync(join(tmpdir(), 'floodgate-crash-'));
    const db = await createPostgresDatabase({ connectionString: database.url });
    const running = new Set<Fixture>();
    try {
      await migrateAll(db, [{ schema: SCHEMA, directory: empty, outbox: true, inbox: true }]);
      // no unique key on purpose: a message applied twice leaves two rows
      await sql.raw(`create table ${SCHEMA}.effects (event_id uuid not null, n integer not null)`).execute(db.kysely);
      await db.kysely.transaction().execute(async (trx) => {
        for (let n = 1; n <= EVENTS; n++) await enqueueEvent(trx, SCHEMA, CRASH_EVENT_TYPE, { n });
      });

      // crash points from the seed, increasing, so each one is ahead of where the previous life stopped
      const random = seededRandom(SEED);
      const pick = (slot: number) => slot * 10 + 2 + Math.floor(random() * 6); // 2..7, 12..17, 22..27
      const publisherPlan = [{ at: 'before-publish', n: pick(0) }, { at: 'after-confirm', n: pick(1) }, { at: 'after-confirm', n: pick(2) }];
      const consumerPlan = [{ at: 'after-commit', n: pick(0) }, { at: 'after-commit', n: pick(1) }, { at: 'after-commit', n: pick(2) }];
      const base = { DATABASE_URL: database.url, AMQP_URL: TEST_SERVICES.rabbitmq, AMQP_EXCHANGE: exchange, CRASH_SCHEMA: SCHEMA };

      /** runs one role through its plan: start, wait for its crash point, kill -9, start the next life */
      const supervise = async (role: 'publisher' | 'consumer', plan: Array<{ at: string; n: number }>) => {
        const kills: string[] = [];
        const lives: Fixture[] = [];
        for (const step of plan) {
          const life = await startFixture({ ...base, ROLE: role, CRASH_AT: step.at, CRASH_ON: String(step.n) });
          lives.push(life);
          running.add(life);
          kills.push(await life.crashed);
          await killHard(life);
          running.delete(life);
        }
        const last = await startFixture({ ...base, ROLE: role });
        lives.push(last);
        running.add(last);
        return { kills, last, lives };
      };
      // the consumer's queue must exist before the first publish
      const consumerRun = supervise('consumer', consumerPlan);
      await waitFor('the consumer queue', () => queueDepth(exchange).then(() => true), { timeoutMs: 60_000 });
      const [publisher, consumer] = await Promise.all([supervise('publisher', publisherPlan), consumerRun]);

      const count = async () => (await sql<{ rows: number; events: number }>`select count(*)::int as rows, count(distinct event_id)::int as events from ${sql.table(`${SCHEMA}.effects`)}`.execute(db.kysely)).rows[0]!;
      const unpublished = async () => (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${SCHEMA}.outbox`)} where published_at is null`.execute(db.kysely)).rows[0]!.n;
      await waitFor('every event applied and published', async () => (await count()).events === EVENTS && (await unpublished()) === 0, { timeoutMs: 90_000 });
      // the last consumer drains what is left (a republished copy may still be on its way) and stops cleanly
      await stopCleanly(publisher.last);
      await waitFor('the consumer queue drained', async () => (await queueDepth(exchange)) === 0, { timeoutMs: 30_000 });
      await stopCleanly(consumer.last);

      const { rows: applied, events } = await count();
      const duplicates = consumer.lives.reduce((sum, life) => sum + (life.output().match(/DUPLICATE/g)?.length ?? 0), 0);
      const { rows: twice } = await sql<{ n: number }>`select n from ${sql.table(`${SCHEMA}.effects`)} group by event_id, n having count(*) > 1`.execute(db.kysely);
      console.info(`[figures] seed ${SEED}: publisher kills ${publisher.kills.join(', ')}; consumer kills ${consumer.kills.join(', ')}; duplicate deliveries refused by the inbox: ${duplicates}`);
      expect(publisher.kills).toEqual(publisherPlan.map((s) => `CRASHPOINT ${s.at} ${s.n}`));
      expect(consumer.kills).toEqual(consumerPlan.map((s) => `CRASHPOINT ${s.at} ${s.n}`));
      expect(events, 'events lost').toBe(EVENTS);
      expect(twice.map((r) => r.n), 'events applied twice').toEqual([]);
      expect(applied).toBe(EVENTS);
      // the kills did cause redeliveries (2 republished after a confirm, 3 unacked after a commit): the inbox refused them
      expect(duplicates).toBeGreaterThanOrEqual(publisherPlan.filter((s) => s.at === 'after-confirm').length + consumerPlan.length);
    } finally {
      await Promise.all([...running].map(killHard));
      await db.close();
      const c = await connect(TEST_SERVICES.rabbitmq);
      await deleteTopology(await c.createChannel(), exchange, [CRASH_SUBSCRIBER]).catch(() => {});
      await c.close().catch(() => {});
      await database.drop();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
