/**
 * `node --import tsx bench/flash-carve.ts [--carves 2000] [--concurrency 32]`: how fast checkouts of ONE flash
 * sale can carve their units out of its allocation on the test PostgreSQL server, and how long they queue on the
 * allocation's row lock. Every carve locks the allocation row (sql-allocations.ts lockAllocation), so carves of
 * one sale run one at a time; the same number of plain reserves of one variant off the shelf (which update the
 * variant's one stock row) run beside it as the reference. Lock waits are sampled from pg_locks every 20 ms.
 * A fresh database per run; nothing else is touched.
 */
import { randomUUID } from 'node:crypto';
import { loadavg, uptime } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { databaseAdapters } from '../test/support/databases.js';
import { inventoryMigrations } from '../src/services/inventory/index.js';
import { createSqlStockStore } from '../src/services/inventory/storage/sql-stock-store.js';
import { exitWithHelpWhenAsked } from './support/bench-report.js';

exitWithHelpWhenAsked();
const { values } = parseArgs({ options: { carves: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '32' } } });
const carves = Number(values.carves);
const concurrency = Number(values.concurrency);

const postgres = (await databaseAdapters()).find((a) => a.name === 'postgres')!;
if (!postgres.available) throw new Error('PostgreSQL is not reachable (TEST_DATABASE_URL / 127.0.0.1:5432)');
const { db, dispose } = await postgres.create([inventoryMigrations]);
const store = createSqlStockStore(db);

async function run(label: string, reserveOne: () => Promise<unknown>) {
  let waiting = 0;
  let samples = 0;
  let maxWaiting = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted`.execute(db.kysely);
      const n = rows[0]?.n ?? 0;
      waiting += n;
      samples += 1;
      maxWaiting = Math.max(maxWaiting, n);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < carves) {
      next += 1;
      const t = performance.now();
      await reserveOne();
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1_000;
  sampling = false;
  await sampler;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
  console.log(`${label}: ${carves} in ${seconds.toFixed(2)} s = ${(carves / seconds).toFixed(0)}/s, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, lock waiters avg ${(waiting / Math.max(1, samples)).toFixed(1)} max ${maxWaiting}`);
}

try {
  const shelfVariant = randomUUID();
  const saleVariant = randomUUID();
  await store.setLevels([{ variantId: shelfVariant, onHand: carves + 10 }, { variantId: saleVariant, onHand: carves + 10 }]);
  const allocation = randomUUID();
  const expiresAt = new Date(Date.now() + 24 * 3_600_000);
  const held = await store.reserve({ id: allocation, reference: `flash-sale:${randomUUID()}`, lines: [{ variantId: saleVariant, quantity: carves }], expiresAt });
  if (!held.ok) throw new Error(`allocation not held: ${JSON.stringify(held)}`);
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (uptime ${Math.round(uptime())} s); ${carves} one-unit holds, ${concurrency} at a time`);
  await run('shelf reserve (one stock row)', () => store.reserve({ id: randomUUID(), reference: randomUUID(), lines: [{ variantId: shelfVariant, quantity: 1 }], expiresAt }));
  await run('carve from one allocation', () => store.reserve({ id: randomUUID(), reference: randomUUID(), lines: [{ variantId: saleVariant, quantity: 1 }], expiresAt, from: allocation }));
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  await dispose();
}
