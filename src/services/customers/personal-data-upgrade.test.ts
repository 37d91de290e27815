import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it } from 'vitest';
import { createEnvelope } from '../../platform/crypto/envelope.js';
import { keyEncryptionKeyId } from '../../platform/crypto/key-encryption-key.js';
import { createPgliteDatabase, type Database } from '../../platform/db/database.js';
import { migrateAll } from '../../platform/db/migrate.js';
import { call, startCustomersApp, type CustomersTestApp } from './http/customers-app.test-support.js';
import { customersMigrations } from './index.js';
import { createArgon2PasswordHasher } from './password-hasher.js';
import { createSqlAccountSealing } from './storage/sql-account-sealing.js';

const kek = () => {
  const key = randomBytes(32);
  return { id: keyEncryptionKeyId(key), key };
};

/** a database as the release before personal-data encryption left it: migration 001 only */
async function preEncryptionDatabase(): Promise<{ db: Database; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'floodgate-customers-001-'));
  await copyFile(join(customersMigrations.directory, '001_init.sql'), join(dir, '001_init.sql'));
  const db = await createPgliteDatabase(undefined);
  await migrateAll(db, [{ schema: 'customers', directory: dir }]);
  return { db, dispose: async () => { await db.close(); await rm(dir, { recursive: true, force: true }); } };
}

const rawRows = async (db: Database) =>
  (await sql<{ id: string; email: string | null; name: string | null; email_sealed: string | null; row: string }>`
    select id, email, name, email_sealed, a::text as row from customers.accounts a order by id`.execute(db.kysely)).rows;

// each test builds a database through two schema versions and seals it: slow on a loaded machine
describe('personal data encryption on an existing data dir', { timeout: 90_000 }, () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('when accounts written by the old schema are migrated, then they are sealed in batches, their plaintext is gone, and they still log in', async () => {
    const old = await preEncryptionDatabase();
    cleanups.push(old.dispose);
    const hash = await createArgon2PasswordHasher().hash('old password 123');
    const people = Array.from({ length: 7 }, (_, i) => ({ id: uuidv7(), email: `old-${i}-${uuidv7()}@example.com`, name: `Old Customer ${i}` }));
    for (const p of people) {
      await sql`insert into customers.accounts (id, email, name, password_hash, role) values (${p.id}, ${p.email}, ${p.name}, ${hash}, 'customer')`.execute(old.db.kysely);
    }
    await sql`insert into customers.accounts (id, role) values (${uuidv7()}, 'guest')`.execute(old.db.kysely);

    const envelope = createEnvelope({ current: kek(), previous: [] });
    const t: CustomersTestApp = await startCustomersApp({ db: old.db, envelope });
    cleanups.push(() => t.close());
    // the service's own migrations, with the start-time data step, then one more run: idempotent
    await migrateAll(old.db, [t.customers.migrations!]);
    expect(await createSqlAccountSealing(old.db, envelope, pino({ level: 'silent' }), 3).sealPlaintextRows()).toBe(0);

    const rows = await rawRows(old.db);
    expect(rows).toHaveLength(8);
    for (const p of people) {
      const row = rows.find((r) => r.id === p.id)!;
      expect(row).toMatchObject({ email: null, name: null, email_sealed: expect.stringMatching(/^v1\./) });
      expect(row.row).not.toContain(p.email);
      expect(row.row).not.toContain(p.name);
    }

    const login = await call(t.app, 'POST', '/v1/auth/login', { body: { email: people[4]!.email.toUpperCase(), password: 'old password 123' } });
    expect(login.status).toBe(200);
    expect(login.body.customer).toEqual({ id: people[4]!.id, email: people[4]!.email, name: 'Old Customer 4' });
    const duplicate = await call(t.app, 'POST', '/v1/auth/register', { body: { email: people[0]!.email, password: 'another password 1', name: 'Copycat' } });
    expect(duplicate.status).toBe(409);
  });

  it('when the step runs in small batches, then every plaintext row is sealed', async () => {
    const old = await preEncryptionDatabase();
    cleanups.push(old.dispose);
    for (let i = 0; i < 10; i++) {
      await sql`insert into customers.accounts (id, email, name, password_hash, role) values (${uuidv7()}, ${`b${i}@example.com`}, ${'B'}, ${'$argon2id$x'}, 'customer')`.execute(old.db.kysely);
    }
    await migrateAll(old.db, [customersMigrations]);
    const sealing = createSqlAccountSealing(old.db, createEnvelope({ current: kek(), previous: [] }), pino({ level: 'silent' }), 3);
    expect(await sealing.sealPlaintextRows()).toBe(10);
    expect((await rawRows(old.db)).filter((r) => r.email !== null || r.name !== null)).toEqual([]);
  });

  it('when the key-encryption key rotates, then rewrap moves every value to the new key and login by email works again', async () => {
    const db = await createPgliteDatabase(undefined);
    cleanups.push(() => db.close());
    await migrateAll(db, [customersMigrations]);
    const first = kek();
    const before = await startCustomersApp({ db, envelope: createEnvelope({ current: first, previous: [] }) });
    cleanups.push(() => before.close());
    const email = `rotating-${uuidv7()}@example.com`;
    expect((await call(before.app, 'POST', '/v1/auth/register', { body: { email, password: 'rotate me please', name: 'Rota' } })).status).toBe(201);

    const second = kek();
    const after = await startCustomersApp({ db, envelope: createEnvelope({ current: second, previous: [first] }) });
    cleanups.push(() => after.close());
    // the blind index was keyed by the old KEK: until rewrap, the email is not found (docs/security.md says so)
    expect((await call(after.app, 'POST', '/v1/auth/login', { body: { email, password: 'rotate me please' } })).status).toBe(401);
    // one report per table: the signing key the registration created, then the account
    expect(await after.customers.rewrap!()).toEqual([
      { service: 'customers.signing_keys', scanned: 1, rewrapped: 1 },
      { service: 'customers.accounts', scanned: 1, rewrapped: 1 },
    ]);
    expect((await rawRows(db)).every((r) => r.email_sealed === null || r.email_sealed.startsWith(`v1.${second.id}.`))).toBe(true);
    expect((await call(after.app, 'POST', '/v1/auth/login', { body: { email, password: 'rotate me please' } })).status).toBe(200);
    expect(await after.customers.rewrap!()).toEqual([
      { service: 'customers.signing_keys', scanned: 1, rewrapped: 0 },
      { service: 'customers.accounts', scanned: 1, rewrapped: 0 },
    ]);
  });
});
