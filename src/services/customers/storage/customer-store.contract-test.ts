import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { sql } from 'kysely';
import type { TestDatabase } from '../../../../test/support/databases.js';
import { createTestEnvelope } from '../../../../test/support/envelope.js';
import { mintRefreshToken, sha256Hex } from '../secret-tokens.js';
import type { Account, CustomerStore } from './customer-store.js';
import { createSqlCustomerStore } from './sql-customer-store.js';

const at = (iso: string) => new Date(iso);
const T0 = at('2030-01-01T00:00:00.000Z');

const customer = (overrides: Partial<Account> = {}): Account => ({
  id: uuidv7(),
  email: `c-${uuidv7()}@example.com`,
  name: 'Annabel Quixotewright', // long enough that random ciphertext cannot contain it by chance
  role: 'customer',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
  createdAt: T0,
  ...overrides,
});

/** One suite for every CustomerStore adapter; `fresh` opens a new, migrated, empty database. */
export function customerStoreContract(name: string, fresh: () => Promise<TestDatabase>) {
  describe(`${name} customer store`, () => {
    let shared: TestDatabase;
    let store: CustomerStore;
    // one key-encryption key for the suite, as every process of a deployment shares one
    const envelope = createTestEnvelope();
    beforeAll(async () => {
      shared = await fresh();
      store = createSqlCustomerStore(shared.db, envelope);
    });
    afterAll(() => shared?.dispose());

    const withAccount = async () => {
      const account = customer();
      expect(await store.insertAccount(account)).toBe(true);
      return account;
    };

    describe('accounts', () => {
      it('when an account is stored, then it is found by id and by its email in any letter case', async () => {
        const account = await withAccount();
        expect(await store.findAccountById(account.id)).toEqual(account);
        expect(await store.findAccountByEmail(account.email!.toUpperCase())).toEqual(account);
      });

      it('when a second account uses the same email in other letter case, then it is refused', async () => {
        const first = await withAccount();
        expect(await store.insertAccount(customer({ email: first.email!.toUpperCase() }))).toBe(false);
      });

      it('when the same email comes again with other letter case and surrounding spaces, then it is refused', async () => {
        const first = await withAccount();
        expect(await store.insertAccount(customer({ email: `  ${first.email!.toUpperCase()}\t` }))).toBe(false);
        expect((await store.findAccountByEmail(` ${first.email!.toUpperCase()} `))?.id).toBe(first.id);
      });

      it('when an account is stored, then its row holds neither the email nor the name in clear, in any column', async () => {
        const account = await withAccount();
        const named = customer({ name: `Zebulon ${uuidv7()}` });
        await store.insertAccount(named);
        for (const a of [account, named]) {
          const { rows } = await sql<{ row: string }>`select a::text as row from customers.accounts a where id = ${a.id}`.execute(shared.db.kysely);
          expect(rows).toHaveLength(1);
          const raw = rows[0]!.row.toLowerCase();
          expect(raw).not.toContain(a.email!.toLowerCase());
          expect(raw).not.toContain(a.email!.split('@')[0]!.toLowerCase());
          expect(raw).not.toContain(a.name!.toLowerCase());
        }
      });

      it('when a sealed email is copied into another account row, then reading that account fails instead of showing it', async () => {
        const victim = await withAccount();
        const attacker = await withAccount();
        await sql`update customers.accounts set email_sealed = (select email_sealed from customers.accounts where id = ${victim.id}) where id = ${attacker.id}`.execute(shared.db.kysely);
        await expect(store.findAccountById(attacker.id)).rejects.toThrow(/does not open/);
      });

      it('when two guests (no email) are stored, then both are accepted', async () => {
        const guest = () => customer({ email: null, name: null, passwordHash: null, role: 'guest' });
        expect([await store.insertAccount(guest()), await store.insertAccount(guest())]).toEqual([true, true]);
      });

      it('when an id is not a uuid (an api-key principal), then the account is simply not found', async () => {
        expect(await store.findAccountById('apikey:0190')).toBeNull();
        expect(await store.findAccountById(uuidv7())).toBeNull();
      });

      it('when an account is promoted with a new password, then both changes are stored', async () => {
        const account = await withAccount();
        await store.updateAccount(account.id, { role: 'admin', passwordHash: 'new-hash' });
        expect(await store.findAccountById(account.id)).toMatchObject({ role: 'admin', passwordHash: 'new-hash' });
      });
    });

    describe('refresh tokens', () => {
      it('when a token is rotated, then it is marked used and its successor joins the same family', async () => {
        const account = await withAccount();
        const first = mintRefreshToken(account.id, uuidv7(), T0);
        await store.insertRefreshToken(first.record);
        const next = mintRefreshToken(account.id, first.record.familyId, at('2030-01-02T00:00:00Z'));
        expect(await store.rotateRefreshToken(first.record.id, at('2030-01-02T00:00:00Z'), next.record)).toBe(true);
        expect(await store.findRefreshToken(sha256Hex(first.token))).toMatchObject({ usedAt: at('2030-01-02T00:00:00Z'), revokedAt: null });
        expect(await store.findRefreshToken(next.record.tokenHash)).toEqual({ ...next.record, usedAt: null, revokedAt: null });
      });

      it('when 20 rotations of one token race, then exactly one succeeds and only its successor is stored', async () => {
        const account = await withAccount();
        const first = mintRefreshToken(account.id, uuidv7(), T0);
        await store.insertRefreshToken(first.record);
        const successors = Array.from({ length: 20 }, () => mintRefreshToken(account.id, first.record.familyId, T0));
        const results = await Promise.all(successors.map((s) => store.rotateRefreshToken(first.record.id, T0, s.record)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const stored = await Promise.all(successors.map((s) => store.findRefreshToken(s.record.tokenHash)));
        expect(stored.filter(Boolean)).toHaveLength(1);
      });

      it('when a family is revoked, then all its tokens are revoked, no other family is touched, and none can rotate', async () => {
        const account = await withAccount();
        const family = uuidv7();
        const a = mintRefreshToken(account.id, family, T0);
        const b = mintRefreshToken(account.id, family, T0);
        const other = mintRefreshToken(account.id, uuidv7(), T0);
        for (const t of [a, b, other]) await store.insertRefreshToken(t.record);
        expect(await store.revokeRefreshFamily(family, T0)).toBe(2);
        expect((await store.findRefreshToken(b.record.tokenHash))?.revokedAt).toEqual(T0);
        expect((await store.findRefreshToken(other.record.tokenHash))?.revokedAt).toBeNull();
        expect(await store.rotateRefreshToken(a.record.id, T0, mintRefreshToken(account.id, family, T0).record)).toBe(false);
      });

      it("when a customer's tokens are revoked, then every family of that customer ends", async () => {
        const account = await withAccount();
        for (let i = 0; i < 3; i++) await store.insertRefreshToken(mintRefreshToken(account.id, uuidv7(), T0).record);
        expect(await store.revokeRefreshTokensOf(account.id, T0)).toBe(3);
        expect(await store.revokeRefreshTokensOf(account.id, T0)).toBe(0);
      });
    });

    describe('api keys', () => {
      const newKey = (name = 'erp', expiresAt: Date | null = null) => ({
        id: uuidv7(),
        name,
        prefix: 'abcd1234',
        keyHash: sha256Hex(`key-${uuidv7()}`),
        role: 'admin' as const,
        createdAt: T0,
        expiresAt,
      });

      it('when a live key is used, then it is found by hash and its last use is recorded', async () => {
        const key = newKey();
        await store.insertApiKey(key);
        const used = await store.useApiKey(key.keyHash, at('2030-01-05T00:00:00Z'));
        expect(used).toEqual({ id: key.id, name: 'erp', prefix: 'abcd1234', role: 'admin', createdAt: T0, expiresAt: null, revokedAt: null, lastUsedAt: at('2030-01-05T00:00:00Z') });
        expect(used).not.toHaveProperty('keyHash');
      });

      it('when a key is used again within a minute, then its last use is not rewritten; after a minute it is', async () => {
        const key = newKey();
        await store.insertApiKey(key);
        const first = at('2030-01-05T00:00:00Z');
        await store.useApiKey(key.keyHash, first);
        expect((await store.useApiKey(key.keyHash, at('2030-01-05T00:00:59Z')))?.lastUsedAt).toEqual(first);
        expect((await store.useApiKey(key.keyHash, at('2030-01-05T00:01:01Z')))?.lastUsedAt).toEqual(at('2030-01-05T00:01:01Z'));
      });

      it('when a key has expired, then it can no longer be used, while before its expiry it could', async () => {
        const key = newKey('temp', at('2030-01-02T00:00:00Z'));
        await store.insertApiKey(key);
        expect((await store.useApiKey(key.keyHash, at('2030-01-01T23:59:59Z')))?.expiresAt).toEqual(at('2030-01-02T00:00:00Z'));
        expect(await store.useApiKey(key.keyHash, at('2030-01-02T00:00:00Z'))).toBeNull();
        // a recent last use must not keep an expired key alive through the read path
        expect(await store.useApiKey(key.keyHash, at('2030-01-02T00:00:30Z'))).toBeNull();
      });

      it('when a key is revoked, then revoking reports its hash (again too) and it can no longer be used', async () => {
        const key = newKey();
        await store.insertApiKey(key);
        expect(await store.revokeApiKey(key.id, T0)).toEqual({ keyHash: key.keyHash });
        expect(await store.revokeApiKey(key.id, at('2031-01-01T00:00:00Z'))).toEqual({ keyHash: key.keyHash });
        expect(await store.useApiKey(key.keyHash, T0)).toBeNull();
      });

      it('when an unknown or malformed id is revoked, then nothing is found', async () => {
        expect(await store.revokeApiKey(uuidv7(), T0)).toBeNull();
        expect(await store.revokeApiKey('not-a-uuid', T0)).toBeNull();
      });

      it('when keys are listed page by page, then every key comes once, oldest first', async () => {
        const own = await fresh();
        try {
          const keysStore = createSqlCustomerStore(own.db, envelope);
          const keys = Array.from({ length: 5 }, (_, i) => newKey(`k${i}`));
          for (const k of keys) await keysStore.insertApiKey(k);
          const firstPage = await keysStore.listApiKeys({ limit: 3 });
          const secondPage = await keysStore.listApiKeys({ limit: 3, afterId: firstPage[2]!.id });
          expect([...firstPage, ...secondPage].map((k) => k.name)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
        } finally {
          await own.dispose();
        }
      });
    });
  });
}
