import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../../test/support/databases.js';
import { createTestEnvelope } from '../../../../test/support/envelope.js';
import { generateSigningKey, privateJwkOf } from '../signing-keys.js';
import type { SigningKeyStore } from './signing-key-store.js';
import { createSqlSigningKeyStore } from './sql-signing-key-store.js';

const at = (iso: string) => new Date(iso);
const T0 = at('2030-01-01T00:00:00.000Z');

/** One suite for every SigningKeyStore adapter; `fresh` opens a new, migrated, empty database. */
export function signingKeyStoreContract(name: string, fresh: () => Promise<TestDatabase>) {
  describe(`${name} signing key store`, () => {
    const envelope = createTestEnvelope();
    let shared: TestDatabase;
    let store: SigningKeyStore;
    beforeAll(async () => {
      shared = await fresh();
      store = createSqlSigningKeyStore(shared.db);
    });
    afterAll(() => shared?.dispose());

    it('when five processes create the first key at once, then exactly one becomes active and is published', async () => {
      const own = await fresh();
      try {
        const keysStore = createSqlSigningKeyStore(own.db);
        const candidates = await Promise.all(Array.from({ length: 5 }, () => generateSigningKey(T0, envelope)));
        const inserted = await Promise.all(candidates.map((k) => keysStore.insertActiveSigningKey(k)));
        expect(inserted.filter(Boolean)).toHaveLength(1);
        const winner = candidates[inserted.indexOf(true)]!;
        expect(await keysStore.findActiveSigningKey()).toEqual({ ...winner, legacyPrivateJwk: null, active: true, retiredAt: null });
        expect((await keysStore.listPublishedSigningKeys()).map((k) => k.kid)).toEqual([winner.kid]);
      } finally {
        await own.dispose();
      }
    });

    it('when a key is stored, then its private part is sealed (no `d` in the row) and opens to a private JWK', async () => {
      const before = await store.findActiveSigningKey();
      if (!before) await store.insertActiveSigningKey(await generateSigningKey(T0, envelope));
      const key = (await store.findActiveSigningKey())!;
      expect(key.legacyPrivateJwk).toBeNull();
      expect(key.privateKeySealed).toMatch(/^v1\./);
      expect(JSON.stringify(key)).not.toContain('"d"');
      expect(privateJwkOf(key, envelope)).toMatchObject({ kty: 'EC', crv: 'P-256', kid: key.kid, d: expect.any(String) });
    });

    it('when the key is replaced, then the new one is active, both are published, and only the old one can be retired', async () => {
      const before = await store.findActiveSigningKey();
      const first = await generateSigningKey(T0, envelope);
      if (!before) await store.insertActiveSigningKey(first);
      const oldKid = before?.kid ?? first.kid;
      const next = await generateSigningKey(at('2030-02-01T00:00:00Z'), envelope);
      expect(await store.replaceActiveSigningKey(next)).toEqual({ previousKid: oldKid });
      expect((await store.findActiveSigningKey())?.kid).toBe(next.kid);
      expect((await store.listPublishedSigningKeys()).map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, next.kid]));

      expect(await store.retireSigningKey(next.kid, T0)).toBe('active');
      expect(await store.retireSigningKey('no-such-kid', T0)).toBe('not_found');
      expect(await store.retireSigningKey(oldKid, T0)).toBe('retired');
      expect((await store.listPublishedSigningKeys()).map((k) => k.kid)).not.toContain(oldKid);
      expect((await store.listAllSigningKeys()).map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, next.kid]));
    });

    it('when two processes replace a sealed private key from the same value, then exactly one wins', async () => {
      const key = (await store.findActiveSigningKey()) ?? (await store.insertActiveSigningKey(await generateSigningKey(T0, envelope)), (await store.findActiveSigningKey())!);
      const expected = key.privateKeySealed;
      const results = await Promise.all(['v1.a', 'v1.b'].map((v) => store.replaceSealedPrivateKey(key.kid, expected, v)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.replaceSealedPrivateKey(key.kid, expected, 'v1.c')).toBe(false);
    });
  });
}
