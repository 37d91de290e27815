import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, calculateJwkThumbprint, jwtVerify, importJWK, SignJWT } from 'jose';
import { sql } from 'kysely';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestAuditLog } from '../../../test/support/audit.js';
import { createMigratedPglite } from '../../../test/support/databases.js';
import { createInProcessEventBus } from '../../platform/bus/in-process-event-bus.js';
import { createEnvelope } from '../../platform/crypto/envelope.js';
import { keyEncryptionKeyId, type KeyEncryptionKeys } from '../../platform/crypto/key-encryption-key.js';
import type { Database } from '../../platform/db/database.js';
import { migrateAll } from '../../platform/db/migrate.js';
import { createMetrics } from '../../platform/telemetry/metrics.js';
import { createCustomersService, customersMigrations } from './index.js';
import { createSigningKeys, privateJwkOf } from './signing-keys.js';
import { createSqlSigningKeyStore } from './storage/sql-signing-key-store.js';

const kek = () => {
  const key = randomBytes(32);
  return { id: keyEncryptionKeyId(key), key };
};

/** what the signing-keys table holds, raw */
const rows = async (db: Database) =>
  (await sql<{ kid: string; private_jwk: unknown; private_key_sealed: string | null }>`select kid, private_jwk, private_key_sealed from customers.signing_keys order by created_at`.execute(db.kysely)).rows;

describe('sealing private signing keys', { timeout: 90_000 }, () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  const serviceWith = async (database: Database, keys: KeyEncryptionKeys) =>
    createCustomersService({
      db: database,
      bus: createInProcessEventBus(),
      logger: pino({ level: 'silent' }),
      metrics: createMetrics('seal'),
      envelope: createEnvelope(keys),
      audit: await createTestAuditLog(database),
    });

  it('when a database from before sealing holds a plaintext private key, then the next start seals it, idempotently, and tokens it signed still verify', async () => {
    // the schema (a clone of this run's migrated customers database) and a key row as an older version left them
    db = await createMigratedPglite([customersMigrations]);
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
    await sql`insert into customers.signing_keys (kid, alg, public_jwk, private_jwk, active) values (${kid}, 'ES256', ${JSON.stringify({ ...publicJwk, kid, alg: 'ES256', use: 'sig' })}::jsonb, ${JSON.stringify(privateJwk)}::jsonb, true)`.execute(db.kysely);
    const oldToken = await new SignJWT({ role: 'guest', typ: 'access' }).setProtectedHeader({ alg: 'ES256', kid }).setSubject('x').sign(await importJWK(privateJwk, 'ES256'));

    const keys = { current: kek(), previous: [] };
    const customers = await serviceWith(db, keys);
    await migrateAll(db, [customers.migrations!]);
    const [sealed] = await rows(db);
    expect(sealed).toMatchObject({ kid, private_jwk: null, private_key_sealed: expect.stringMatching(new RegExp(`^v1\\.${keys.current.id}\\.`)) });
    expect(JSON.stringify(await rows(db))).not.toContain(privateJwk.d!);

    // a second start changes nothing
    await migrateAll(db, [customers.migrations!]);
    expect(await rows(db)).toEqual([sealed]);

    // the sealed key still signs under its kid, and the JWKS publishes no private member
    const envelope = createEnvelope(keys);
    const active = await createSigningKeys({ store: createSqlSigningKeyStore(db), envelope, clock: () => new Date() }).active();
    expect(active.kid).toBe(kid);
    const newToken = await new SignJWT({ typ: 'access' }).setProtectedHeader({ alg: 'ES256', kid }).setSubject('x').sign(active.privateKey);
    const jwks = await customers.client.jwks();
    expect(jwks.keys[0]).not.toHaveProperty('d');
    for (const token of [oldToken, newToken]) await expect(jwtVerify(token, await importJWK(jwks.keys[0]!, 'ES256'))).resolves.toBeTruthy();
  });

  it('when the key-encryption key rotates, then keys sealed with the old one keep working with it listed as previous, and rewrap moves every key to the new one', async () => {
    db = await createMigratedPglite([customersMigrations]);
    const oldKek = kek();
    const before = await serviceWith(db, { current: oldKek, previous: [] });
    await migrateAll(db, [before.migrations!]);
    await before.rotateSigningKey();
    await before.rotateSigningKey();
    expect((await rows(db)).every((r) => r.private_key_sealed?.startsWith(`v1.${oldKek.id}.`))).toBe(true);

    const newKek = kek();
    const after = await serviceWith(db, { current: newKek, previous: [oldKek] });
    await migrateAll(db, [after.migrations!]);
    // signing keys first, then accounts (none here)
    expect(await after.rewrap!()).toEqual([
      { service: 'customers.signing_keys', scanned: 2, rewrapped: 2 },
      { service: 'customers.accounts', scanned: 0, rewrapped: 0 },
    ]);
    expect((await rows(db)).every((r) => r.private_key_sealed?.startsWith(`v1.${newKek.id}.`))).toBe(true);
    expect((await after.rewrap!()) as unknown[]).toContainEqual({ service: 'customers.signing_keys', scanned: 2, rewrapped: 0 });

    // the old KEK can now be dropped from the configuration; without the new one nothing opens
    const stored = await createSqlSigningKeyStore(db).listAllSigningKeys();
    for (const key of stored) expect(privateJwkOf(key, createEnvelope({ current: newKek, previous: [] }))).toMatchObject({ d: expect.any(String) });
    expect(() => privateJwkOf(stored[0]!, createEnvelope({ current: oldKek, previous: [] }))).toThrow(/does not have/);
  });
});
