/**
 * A process that adds one line to a cart and then waits to be killed, for the cart write-back kill test
 * (test/faults/cart-write-back-killed.int.test.ts). Run as a child process: `node --import tsx <this file>`.
 *
 *   DATABASE_URL, CART_ID, OWNER_ID, VARIANT_ID   the cart (created by the test) and the line to add
 *   REDIS_URL + KEY_PREFIX                        a Redis working copy; without REDIS_URL, the memory one
 *   FLUSH_DELAY_MS                                how long the change waits for its write to PostgreSQL
 *
 * Prints `READY`, then `APPLIED` once the change is in the working copy (a read sees it), and `ACKED` when the
 * store answers the change (what an HTTP 2xx would follow). It never exits by itself: the test sends SIGKILL.
 */
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { createPostgresDatabase } from '../../src/platform/db/database.js';
import { createRedisConnection } from '../../src/platform/redis/redis-connection.js';
import { createMemoryCartWorkingCopy, createRedisCartWorkingCopy } from '../../src/services/carts/index.js';
import { createSqlCartSnapshots } from '../../src/services/carts/storage/sql-cart-snapshots.js';
import { createSqlCartStore } from '../../src/services/carts/storage/sql-cart-store.js';
import { createWriteBackCartStore } from '../../src/services/carts/storage/write-back-cart-store.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const logger = pino({ level: 'warn' }, pino.destination(2));
const db = await createPostgresDatabase({ connectionString: env('DATABASE_URL'), maxConnections: 2 });
const workingCopy = process.env.REDIS_URL
  ? createRedisCartWorkingCopy({ redis: createRedisConnection({ url: process.env.REDIS_URL, name: 'cart-writer', logger }), keyPrefix: env('KEY_PREFIX') })
  : createMemoryCartWorkingCopy();
const store = createWriteBackCartStore({ sql: createSqlCartStore(db), snapshots: createSqlCartSnapshots(db), workingCopy, logger, flushDelayMs: Number(env('FLUSH_DELAY_MS')) });
store.flusher.start();
const [cartId, ownerId, variantId] = [env('CART_ID'), env('OWNER_ID'), env('VARIANT_ID')];
process.stdout.write('READY\n');

const write = store.addItem({ cartId, ownerId, itemId: uuidv7(), variantId, quantity: 2, currency: 'USD' });
void write.then((result) => process.stdout.write(`ACKED ${JSON.stringify(result.ok)}\n`));
for (;;) {
  const cart = await store.findForOwner(cartId, ownerId);
  if (cart?.items.some((i) => i.variantId === variantId)) break;
  await new Promise((resolve) => setTimeout(resolve, 5));
}
process.stdout.write('APPLIED\n');
