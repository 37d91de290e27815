import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database } from '../../platform/db/database.js';
import { call, startCustomersApp, type CustomersTestApp } from './http/customers-app.test-support.js';
import { customersMigrations } from './index.js';
import { createTestEnvelope } from '../../../test/support/envelope.js';
import { createMigratedPglite } from '../../../test/support/databases.js';

describe('signing keys', () => {
  // two apps on one database stand for two processes of the customers service
  let db: Database;
  let a: CustomersTestApp;
  let b: CustomersTestApp;
  beforeAll(async () => {
    db = await createMigratedPglite([customersMigrations]);
    const envelope = createTestEnvelope();
    [a, b] = await Promise.all([startCustomersApp({ db, envelope }), startCustomersApp({ db, envelope })]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.close();
  });

  const guestToken = async (t: CustomersTestApp) => (await call(t.app, 'POST', '/v1/auth/guest')).body.accessToken as string;
  const kids = async (t: CustomersTestApp) => (await call(t.app, 'GET', '/.well-known/jwks.json')).body.keys.map((k: { kid: string }) => k.kid);
  const accepted = async (t: CustomersTestApp, token: string) => (await call(t.app, 'GET', '/v1/me', { token })).status === 200;

  it('when two processes start at once, then they create one key and accept each other\'s tokens', async () => {
    const [tokenA, tokenB] = await Promise.all([guestToken(a), guestToken(b)]);
    expect(decodeProtectedHeader(tokenA).kid).toBe(decodeProtectedHeader(tokenB).kid);
    expect(await kids(a)).toEqual([decodeProtectedHeader(tokenA).kid]);
    expect([await accepted(a, tokenB), await accepted(b, tokenA)]).toEqual([true, true]);
  });

  it('when the key is rotated, then new tokens use the new kid, old tokens still verify, and the other process accepts both', async () => {
    const before = await guestToken(a);
    const oldKid = decodeProtectedHeader(before).kid;
    const rotated = await a.customers.rotateSigningKey();
    expect(rotated).toEqual({ kid: expect.any(String), previousKid: oldKid });

    const after = await guestToken(a);
    expect(decodeProtectedHeader(after).kid).toBe(rotated.kid);
    expect(await kids(a)).toEqual(expect.arrayContaining([oldKid, rotated.kid]));
    // b has the old key set cached; an unknown kid makes it reload instead of refusing
    expect([await accepted(a, before), await accepted(a, after), await accepted(b, after), await accepted(b, before)]).toEqual([true, true, true, true]);
  });

  it('when the old key is retired, then its tokens stop verifying and it leaves the JWKS; the active key cannot be retired', async () => {
    const before = await guestToken(a);
    const { kid, previousKid } = await a.customers.rotateSigningKey();
    const after = await guestToken(a);

    expect(await a.customers.retireSigningKey(kid)).toEqual({ ok: false, code: 'CUSTOMERS_SIGNING_KEY_ACTIVE', id: kid });
    expect(await a.customers.retireSigningKey('no-such-kid')).toMatchObject({ ok: false, code: 'CUSTOMERS_SIGNING_KEY_NOT_FOUND' });
    expect(await a.customers.retireSigningKey(previousKid!)).toEqual({ ok: true });

    expect(await kids(a)).not.toContain(previousKid);
    expect(await accepted(a, before)).toBe(false);
    expect(await accepted(a, after)).toBe(true);
  });
});
