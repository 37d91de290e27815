/**
 * Events per second through an outbox relay while one subscriber is stuck (a hung PSP charge):
 *   npx tsx bench/outbox-relay.ts [pglite|postgres] [events] [slowEvery]
 * Every 50th event (slowEvery; 0 for none) is a 1.5 s "charge"; the rest are no-ops. Prints events/s
 * and the time to drain. Recorded figures: docs/outbox.md.
 */
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { databaseAdapters } from '../test/support/databases.js';
import { createInProcessEventBus } from '../src/platform/bus/in-process-event-bus.js';
import { createOutboxRelay, enqueueEvent } from '../src/platform/bus/outbox.js';

const engine = process.argv[2] ?? 'pglite';
const total = Number(process.argv[3] ?? 2_000);
const slowEvery = Number(process.argv[4] ?? 50);
const adapter = (await databaseAdapters()).find((a) => a.name === engine);
if (!adapter?.available) throw new Error(`${engine} is not available`);
const handle = await adapter.create([{ schema: 'dbtest', directory: fileURLToPath(new URL('../src/platform/db/test-migrations', import.meta.url)), outbox: true }]);
const bus = createInProcessEventBus();
let done = 0;
bus.subscribe<{ slow: boolean }>('thing.happened', 'bench', async (e) => {
  if (e.payload.slow) await new Promise((r) => setTimeout(r, 1_500));
  done++;
});
for (let i = 0; i < total; i++) await enqueueEvent(handle.db.kysely, 'dbtest', 'thing.happened', { slow: slowEvery > 0 && i % slowEvery === 0 });
const relay = createOutboxRelay({ db: handle.db, schema: 'dbtest', bus, logger: pino({ level: 'silent' }) });
const started = performance.now();
relay.start();
while (done < total) await new Promise((r) => setTimeout(r, 20));
const seconds = (performance.now() - started) / 1000;
await relay.stop();
console.log(`${engine}: ${total} events (${slowEvery ? `every ${slowEvery}th a 1.5 s charge` : 'all no-ops'}), concurrency 16: ${(total / seconds).toFixed(0)} events/s, drained in ${seconds.toFixed(1)} s`);
await handle.dispose();
