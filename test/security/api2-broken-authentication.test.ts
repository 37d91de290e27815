import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, decodeJwt, exportJWK, exportSPKI, generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvelope } from '../../src/platform/crypto/envelope.js';
import { generateKeyEncryptionKey, loadKeyEncryptionKeys } from '../../src/platform/crypto/key-encryption-key.js';
import { privateJwkOf } from '../../src/services/customers/signing-keys.js';
import { createApi, createShopper, type Api } from '../support/api.js';
import { createPostgresTestDatabaseUrl } from '../support/databases.js';
import { serviceAvailable } from '../support/services.js';
import { startTestShop, type TestShop } from '../support/shop.js';

/**
 * OWASP API Security Top 10 (2023), API2 Broken Authentication: every test is an attack on the
 * access-token, session or API-key checks of the real app over HTTP. Two app instances share one
 * PostgreSQL database (and the key-encryption key), as two processes of a deployment do, so
 * revocation is shown to reach the other process within a second.
 */
const postgres = await serviceAvailable('postgres');

describe.skipIf(!postgres)('API2:2023 broken authentication', { timeout: 60_000 }, () => {
  const kek = generateKeyEncryptionKey();
  let database: Awaited<ReturnType<typeof createPostgresTestDatabaseUrl>>;
  let a: TestShop;
  let b: TestShop;
  let apiA: Api;
  let apiB: Api;
  let admin: string;
  let genuine: string;

  beforeAll(async () => {
    database = await createPostgresTestDatabaseUrl();
    // two shops, one request at a time: small pools, so a heavy file beside this one (the cluster) cannot run the
    // shared server out of connections (a CI run saw "too many clients" with the harness's 20 each)
    const env = { FLOODGATE_KEY_ENCRYPTION_KEY: kek, DATABASE_POOL_SIZE: '5' };
    a = await startTestShop('postgres', env, { databaseUrl: database.url });
    b = await startTestShop('postgres', env, { databaseUrl: database.url });
    apiA = createApi(a.url);
    apiB = createApi(b.url);
    admin = await createShopper(apiA).adminToken(a.admin);
    genuine = await createShopper(apiA).guestToken();
  }, 120_000);

  afterAll(async () => {
    await b?.dispose();
    await a?.dispose();
    await database?.drop();
  });

  const status = async (api: Api, token: string, path = '/v1/me') => {
    const res = await api.get(path, { token });
    return res.status === 401 ? `401 ${res.body.code}` : String(res.status);
  };
  const REFUSED = '401 AUTH_TOKEN_INVALID';

  /** our real private signing key, read as an insider would with the database and the KEK */
  const ourKey = async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query('select kid, alg, public_jwk, private_jwk, private_key_sealed, active, created_at, retired_at from customers.signing_keys where active');
      const r = rows[0];
      const envelope = createEnvelope(await loadKeyEncryptionKeys({ key: kek, production: true }));
      const jwk = privateJwkOf({ kid: r.kid, alg: r.alg, publicJwk: r.public_jwk, privateKeySealed: r.private_key_sealed, legacyPrivateJwk: r.private_jwk, active: true, createdAt: r.created_at, retiredAt: null }, envelope);
      return { kid: r.kid as string, privateKey: await importJWK(jwk, 'ES256') };
    } finally {
      await client.end();
    }
  };

  /** signs exactly the claims and header given with our real key: only claim checks can stop it */
  const forgeWithOurKey = async (claims: JWTPayload, header: Record<string, unknown> = {}) => {
    const key = await ourKey();
    return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt', ...header }).sign(key.privateKey);
  };

  const now = () => Math.floor(Date.now() / 1000);
  const validClaims = (): JWTPayload => ({ ...decodeJwt(genuine), iat: now(), exp: now() + 600 });

  const keySetLoads = async (api: Api) => {
    const text = (await api.get('/metrics')).body as string;
    const line = text.split('\n').find((l) => l.startsWith('floodgate_customers_auth_events_total{') && l.includes('event="key_set_loaded"'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  it('control: a token we forge with our own key and valid claims is accepted (so each refusal below is the check under test)', async () => {
    expect(await status(apiA, await forgeWithOurKey(validClaims()))).toBe('200');
  });

  it('alg none: an unsigned token claiming admin is refused', async () => {
    const forged = new UnsecuredJWT({ ...validClaims(), role: 'admin' }).encode();
    expect(await status(apiA, forged)).toBe(REFUSED);
    expect(await status(apiA, forged, '/v1/admin/api-keys')).toBe(REFUSED);
  });

  it('HS/RS confusion: a token HMAC-signed (HS256) with our public key as the secret is refused', async () => {
    const jwks = (await apiA.get('/.well-known/jwks.json')).body as { keys: JWK[] };
    const publicJwk = jwks.keys[0]!;
    const pem = await exportSPKI((await importJWK(publicJwk, 'ES256')) as CryptoKey);
    const secrets = [new TextEncoder().encode(pem), new TextEncoder().encode(JSON.stringify(publicJwk))];
    for (const secret of secrets) {
      const forged = await new SignJWT({ ...validClaims(), role: 'admin' }).setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid!, typ: 'at+jwt' }).sign(secret);
      expect(await status(apiA, forged, '/v1/admin/api-keys')).toBe(REFUSED);
    }
  });

  it('embedded jwk: a token carrying its own (attacker) key in the header is refused, with a foreign kid or ours', async () => {
    const attacker = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(attacker.publicKey);
    const theirKid = await calculateJwkThumbprint(jwk);
    const ourKid = (await ourKey()).kid;
    for (const kid of [theirKid, ourKid]) {
      const forged = await new SignJWT({ ...validClaims(), role: 'admin' }).setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt', jwk }).sign(attacker.privateKey);
      expect(await status(apiA, forged, '/v1/admin/api-keys')).toBe(REFUSED);
    }
    // even a header jwk that IS our key is refused: keys come from our JWKS only
    expect(await status(apiA, await forgeWithOurKey(validClaims(), { jwk: (await apiA.get('/.well-known/jwks.json')).body.keys[0] }))).toBe(REFUSED);
  });

  it('jku: a token pointing at an attacker-hosted key set is refused and the URL is never fetched', async () => {
    const attacker = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(attacker.publicKey)), kid: 'attacker', alg: 'ES256', use: 'sig' };
    let fetched = 0;
    const server: Server = createServer((_req, res) => {
      fetched++;
      res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const jku = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
      const forged = await new SignJWT({ ...validClaims(), role: 'admin' }).setProtectedHeader({ alg: 'ES256', kid: 'attacker', typ: 'at+jwt', jku }).sign(attacker.privateKey);
      expect(await status(apiA, forged, '/v1/admin/api-keys')).toBe(REFUSED);
      expect(fetched).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('foreign kid: tokens signed by keys that are not ours are refused, and 30 of them reload the key set at most once', async () => {
    // B has loaded the key set once already (the first load is not a reload)
    expect(await status(apiB, genuine)).toBe('200');
    const before = await keySetLoads(apiB);
    for (let i = 0; i < 30; i++) {
      const attacker = await generateKeyPair('ES256');
      const forged = await new SignJWT(validClaims()).setProtectedHeader({ alg: 'ES256', kid: `not-ours-${i}`, typ: 'at+jwt' }).sign(attacker.privateKey);
      expect(await status(apiB, forged)).toBe(REFUSED);
    }
    expect((await keySetLoads(apiB)) - before).toBeLessThanOrEqual(1);
  });

  it.each(['exp', 'iat', 'iss', 'aud', 'sub', 'sid', 'jti'])('missing %s: a token signed with our key but without the claim is refused', async (claim) => {
    const claims = validClaims();
    delete claims[claim];
    expect(await status(apiA, await forgeWithOurKey(claims))).toBe(REFUSED);
  });

  it('expired: a token whose exp has passed is refused', async () => {
    expect(await status(apiA, await forgeWithOurKey({ ...validClaims(), iat: now() - 1_000, exp: now() - 100 }))).toBe(REFUSED);
  });

  it('lifetime beyond the cap: a token valid for a year (or issued 3 h ago) is refused', async () => {
    expect(await status(apiA, await forgeWithOurKey({ ...validClaims(), exp: now() + 365 * 24 * 3600 }))).toBe(REFUSED);
    expect(await status(apiA, await forgeWithOurKey({ ...validClaims(), iat: now() - 3 * 3600, exp: now() + 60 }))).toBe(REFUSED);
  });

  it('wrong iss, aud or typ: a token for another issuer, audience or of another type is refused', async () => {
    expect(await status(apiA, await forgeWithOurKey({ ...validClaims(), iss: 'https://evil.example' }))).toBe(REFUSED);
    expect(await status(apiA, await forgeWithOurKey({ ...validClaims(), aud: 'another-api' }))).toBe(REFUSED);
    expect(await status(apiA, await forgeWithOurKey(validClaims(), { typ: 'JWT' }))).toBe(REFUSED);
    expect(await status(apiA, await forgeWithOurKey({ ...validClaims(), typ: 'refresh' }))).toBe(REFUSED);
  });

  /** how long until `token` is refused by `api` (fails the test past 1 s) */
  const refusedWithin1s = async (api: Api, token: string) => {
    const started = Date.now();
    await expect.poll(() => status(api, token), { timeout: 1_000, interval: 25 }).toBe(REFUSED);
    return Date.now() - started;
  };

  it('revoked session (logout): the access token fails at once where it logged out and within 1 s in the other process', async () => {
    const email = `c-${crypto.randomUUID()}@example.com`;
    const session = (await apiA.post('/v1/auth/register', { email, password: 'a-long-password-1', name: 'Ann' })).body;
    expect([await status(apiA, session.accessToken), await status(apiB, session.accessToken)]).toEqual(['200', '200']);
    expect((await apiA.post('/v1/auth/logout', { refreshToken: session.refreshToken }, { token: session.accessToken })).status).toBe(204);
    expect(await status(apiA, session.accessToken)).toBe(REFUSED);
    expect(await refusedWithin1s(apiB, session.accessToken)).toBeLessThan(1_000);
    expect((await apiB.post('/v1/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
  });

  it('revoked session (guest logout): a guest ends its own token without a refresh token', async () => {
    const guest = await createShopper(apiA).guestToken();
    expect(await status(apiB, guest)).toBe('200');
    expect((await apiB.post('/v1/auth/logout', {}, { token: guest })).status).toBe(204);
    expect(await status(apiB, guest)).toBe(REFUSED);
    expect(await refusedWithin1s(apiA, guest)).toBeLessThan(1_000);
  });

  it('revoked session (refresh-token reuse): replaying a used refresh token kills every access token of that login, in both processes', async () => {
    const email = `c-${crypto.randomUUID()}@example.com`;
    const first = (await apiA.post('/v1/auth/register', { email, password: 'a-long-password-1', name: 'Ann' })).body;
    const rotated = (await apiA.post('/v1/auth/refresh', { refreshToken: first.refreshToken })).body;
    expect(await status(apiB, rotated.accessToken)).toBe('200');
    // the thief replays the stolen (already used) refresh token
    expect((await apiB.post('/v1/auth/refresh', { refreshToken: first.refreshToken })).body.code).toBe('CUSTOMERS_REFRESH_TOKEN_REUSED');
    expect(await status(apiB, first.accessToken)).toBe(REFUSED);
    expect(await status(apiB, rotated.accessToken)).toBe(REFUSED);
    expect(await refusedWithin1s(apiA, rotated.accessToken)).toBeLessThan(1_000);
    expect(await refusedWithin1s(apiA, first.accessToken)).toBeLessThan(1_000);
  });

  it('deactivated account: an admin deactivation ends its tokens within 1 s everywhere and it cannot log in or refresh', async () => {
    const email = `c-${crypto.randomUUID()}@example.com`;
    const session = (await apiA.post('/v1/auth/register', { email, password: 'a-long-password-1', name: 'Ann' })).body;
    expect(await status(apiB, session.accessToken)).toBe('200');
    expect((await apiA.post(`/v1/admin/customers/${session.customer.id}/deactivate`, undefined, { token: admin })).status).toBe(204);
    expect(await refusedWithin1s(apiB, session.accessToken)).toBeLessThan(1_000);
    expect((await apiB.post('/v1/auth/login', { email, password: 'a-long-password-1' })).body.code).toBe('CUSTOMERS_INVALID_CREDENTIALS');
    expect((await apiB.post('/v1/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    expect((await apiA.post(`/v1/admin/customers/${crypto.randomUUID()}/deactivate`, undefined, { token: admin })).body.code).toBe('CUSTOMERS_ACCOUNT_NOT_FOUND');
    // a customer cannot deactivate anyone, itself included
    const other = await createShopper(apiA).register();
    expect((await apiA.post(`/v1/admin/customers/${other.id}/deactivate`, undefined, { token: other.token })).status).toBe(403);
  });

  it('expired API key: a key past its expiresAt is refused, and an expiry in the past is rejected at creation naming the field', async () => {
    const past = await apiA.post('/v1/admin/api-keys', { name: 'late', expiresAt: new Date(Date.now() - 1_000).toISOString() }, { token: admin });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([expect.objectContaining({ field: 'body.expiresAt' })]);
    const tooFar = await apiA.post('/v1/admin/api-keys', { name: 'forever', expiresAt: '2999-01-01T00:00:00Z' }, { token: admin });
    expect(tooFar.body.errors).toEqual([expect.objectContaining({ field: 'body.expiresAt' })]);

    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const created = await apiA.post('/v1/admin/api-keys', { name: 'short-lived', expiresAt }, { token: admin });
    expect(created.body.expiresAt).toBe(expiresAt);
    const useKey = async () => (await apiA.get('/v1/admin/api-keys', { headers: { 'x-api-key': created.body.key } })).status;
    expect(await useKey()).toBe(200);
    await expect.poll(useKey, { timeout: 5_000, interval: 100 }).toBe(401);
    expect((await apiB.get('/v1/admin/api-keys', { headers: { 'x-api-key': created.body.key } })).body.code).toBe('CUSTOMERS_API_KEY_INVALID');
  });

  it('revoked API key: a revoked key is refused at once in the process that revoked it', async () => {
    const created = await apiA.post('/v1/admin/api-keys', { name: 'to-revoke' }, { token: admin });
    const headers = { 'x-api-key': created.body.key };
    expect((await apiA.get('/v1/admin/api-keys', { headers })).status).toBe(200);
    expect((await apiA.delete(`/v1/admin/api-keys/${created.body.id}`, { token: admin })).status).toBe(204);
    expect((await apiA.get('/v1/admin/api-keys', { headers })).body.code).toBe('CUSTOMERS_API_KEY_INVALID');
  });
});
