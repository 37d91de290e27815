import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it } from 'vitest';
import { createEnvelope } from '../../../platform/crypto/envelope.js';
import { keyEncryptionKeyId } from '../../../platform/crypto/key-encryption-key.js';
import { createPgliteDatabase, type Database } from '../../../platform/db/database.js';
import { migrateAll } from '../../../platform/db/migrate.js';
import { ordersMigrations } from '../index.js';
import { createSqlOrderSealing } from './sql-order-sealing.js';
import { createSqlOrderStore } from './sql-order-store.js';

const kek = () => {
  const key = randomBytes(32);
  return { id: keyEncryptionKeyId(key), key };
};
const silent = pino({ level: 'silent' });
const address = (i: number) => ({ name: `Old Buyer ${i}`, line1: `${i} Legacy Lane`, city: 'Leeds', postalCode: 'LS1 4AP', country: 'GB' });

/** a database as the release before personal-data encryption left it: the migrations before 004 */
async function preEncryptionDatabase(): Promise<{ db: Database; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'floodgate-orders-003-'));
  for (const file of (await readdir(ordersMigrations.directory)).filter((f) => f < '004')) await copyFile(join(ordersMigrations.directory, file), join(dir, file));
  const db = await createPgliteDatabase(undefined);
  await migrateAll(db, [{ ...ordersMigrations, directory: dir }]);
  return { db, dispose: async () => { await db.close(); await rm(dir, { recursive: true, force: true }); } };
}

async function insertOldOrder(db: Database, i: number, email: string | null) {
  const id = uuidv7();
  await sql`insert into orders.orders (id, customer_id, status, email, shipping_address, total_minor, currency, reservation_id, payment_token, created_at, updated_at)
    values (${id}, ${uuidv7()}, 'paid', ${email}, ${JSON.stringify(address(i))}::jsonb, 1000, 'USD', ${uuidv7()}, 'tok_visa', now(), now())`.execute(db.kysely);
  return id;
}

// each test builds a database through two schema versions and seals it: slow on a loaded machine
describe('order personal data on an existing data dir', { timeout: 90_000 }, () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('when orders placed under the old schema are migrated, then they are sealed in batches, the plaintext is gone, and they read back whole', async () => {
    const old = await preEncryptionDatabase();
    cleanups.push(old.dispose);
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push(await insertOldOrder(old.db, i, i % 2 ? `buyer${i}@example.com` : null));

    const envelope = createEnvelope({ current: kek(), previous: [] });
    const sealing = createSqlOrderSealing(old.db, envelope, silent, 3);
    await migrateAll(old.db, [{ ...ordersMigrations, afterMigrate: async () => void (await sealing.sealPlaintextRows()) }]);
    expect(await sealing.sealPlaintextRows()).toBe(0);

    const raw = (await sql<{ email: string | null; shipping_address: unknown; row: string }>`select email, shipping_address, o::text as row from orders.orders o`.execute(old.db.kysely)).rows;
    expect(raw.every((r) => r.email === null && r.shipping_address === null)).toBe(true);
    expect(raw.map((r) => r.row).join('\n')).not.toMatch(/Legacy Lane|Old Buyer|buyer\d@example\.com/);

    const store = createSqlOrderStore(old.db, envelope);
    expect(await store.findById(ids[3]!)).toMatchObject({ email: 'buyer3@example.com', shippingAddress: address(3), status: 'paid' });
    expect(await store.findById(ids[2]!)).toMatchObject({ email: null, shippingAddress: address(2) });
  });

  it('when the key-encryption key rotates, then rewrap moves every sealed value to the new key, once', async () => {
    const old = await preEncryptionDatabase();
    cleanups.push(old.dispose);
    for (let i = 0; i < 4; i++) await insertOldOrder(old.db, i, `r${i}@example.com`);
    const first = kek();
    await migrateAll(old.db, [ordersMigrations]);
    await createSqlOrderSealing(old.db, createEnvelope({ current: first, previous: [] }), silent).sealPlaintextRows();

    const second = kek();
    const rotated = createEnvelope({ current: second, previous: [first] });
    const sealing = createSqlOrderSealing(old.db, rotated, silent, 3);
    expect(await sealing.rewrapRows()).toEqual({ service: 'orders.orders', scanned: 4, rewrapped: 4 });
    expect(await sealing.rewrapRows()).toEqual({ service: 'orders.orders', scanned: 4, rewrapped: 0 });
    const sealed = (await sql<{ e: string; a: string }>`select email_sealed as e, shipping_address_sealed as a from orders.orders`.execute(old.db.kysely)).rows;
    expect(sealed.every((r) => r.e.startsWith(`v1.${second.id}.`) && r.a.startsWith(`v1.${second.id}.`))).toBe(true);
    // the new key alone now opens everything: the old one can be dropped
    const onlyNew = createSqlOrderStore(old.db, createEnvelope({ current: second, previous: [] }));
    const { rows } = await sql<{ id: string }>`select id from orders.orders`.execute(old.db.kysely);
    for (const { id } of rows) expect((await onlyNew.findById(id))?.shippingAddress.city).toBe('Leeds');
  });
});
