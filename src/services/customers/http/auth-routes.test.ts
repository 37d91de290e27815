import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../../platform/auth/principal.js';
import { call, registerCustomer, startCustomersApp, uniqueEmail, type CustomersTestApp } from './customers-app.test-support.js';

describe('customers auth routes', () => {
  let t: CustomersTestApp;
  beforeAll(async () => {
    t = await startCustomersApp();
  });
  afterAll(() => t?.close());
  afterEach(() => {
    t.setClockOffsetMs(0);
    expect(t.bodies.length).toBeGreaterThan(0);
    // whatever a test did, no answer may ever carry a password hash
    expect(t.bodies.filter((b) => b.includes('$argon2') || /password_?hash/i.test(b))).toEqual([]);
  });

  const me = (token: string) => call(t.app, 'GET', '/v1/me', { token });

  it('when a customer registers with a mixed-case email, then login with any case and /v1/me round-trip', async () => {
    const email = uniqueEmail('Ann').toUpperCase();
    const reg = await call(t.app, 'POST', '/v1/auth/register', { body: { email: `  ${email} `, password: 'correct horse battery', name: ' Ann ' } });
    expect(reg.status).toBe(201);
    expect(reg.headers['cache-control']).toBe('no-store');
    const id = reg.body.customer.id;
    expect(reg.body).toEqual({
      customer: { id, email: email.toLowerCase(), name: 'Ann' },
      accessToken: expect.any(String),
      expiresIn: 900,
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });

    const login = await call(t.app, 'POST', '/v1/auth/login', { body: { email: email.toLowerCase(), password: 'correct horse battery' } });
    expect(login.status).toBe(200);
    expect(login.body.customer).toEqual({ id, email: email.toLowerCase(), name: 'Ann' });

    const profile = await me(login.body.accessToken);
    expect(profile).toMatchObject({ status: 200, body: { id, email: email.toLowerCase(), name: 'Ann', role: 'customer' } });
    expect(Object.keys(profile.body).sort()).toEqual(['email', 'id', 'name', 'role']);
    // the account email rides in the access token (checkout's receipt address, without a call to this service)
    expect(decodeJwt(login.body.accessToken).email).toBe(email.toLowerCase());
    expect(await t.customers.client.authenticate({ bearer: login.body.accessToken })).toMatchObject({ customerId: id, email: email.toLowerCase() });
  });

  it('when an access token is issued, then it is ES256 with a published kid and the agreed claims', async () => {
    const { accessToken, customer } = await call(t.app, 'POST', '/v1/auth/guest').then((r) => r.body);
    const header = decodeProtectedHeader(accessToken);
    const claims = decodeJwt(accessToken);
    expect(header).toMatchObject({ alg: 'ES256', kid: expect.any(String), typ: 'at+jwt' });
    expect(claims).toMatchObject({ sub: customer.id, role: 'guest', typ: 'access', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, jti: expect.any(String), sid: expect.any(String) });
    expect(claims.exp! - claims.iat!).toBe(2 * 60 * 60);
    expect(claims).not.toHaveProperty('email'); // a guest has none: checkout asks for one

    const jwks = await call(t.app, 'GET', '/.well-known/jwks.json');
    expect(jwks.headers['cache-control']).toBe('public, max-age=300');
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toContain(header.kid);
    for (const key of jwks.body.keys) expect(Object.keys(key).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });

  it('when the email is already registered in another letter case, then 409 CUSTOMERS_EMAIL_TAKEN', async () => {
    const first = await registerCustomer(t.app);
    const again = await call(t.app, 'POST', '/v1/auth/register', { body: { email: first.customer.email.toUpperCase(), password: 'another password', name: 'Bob' } });
    expect(again).toMatchObject({ status: 409, body: { code: 'CUSTOMERS_EMAIL_TAKEN' } });
  });

  it('when the email is malformed, the password too short and an unknown field is sent, then 400 names each field', async () => {
    const bad = await call(t.app, 'POST', '/v1/auth/register', { body: { email: 'not-an-email', password: 'short', name: 'Ann' } });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.email', 'body.password']);

    const long = await call(t.app, 'POST', '/v1/auth/register', { body: { email: uniqueEmail(), password: 'x'.repeat(129), name: 'Ann' } });
    expect(long.body.errors).toEqual([expect.objectContaining({ field: 'body.password' })]);

    const extra = await call(t.app, 'POST', '/v1/auth/register', { body: { email: uniqueEmail(), password: 'long enough', name: 'Ann', role: 'admin' } });
    // (the field is reported as `body` until problem-details.ts reads zod 4's `params.keys`)
    expect(extra).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED' } });
  });

  it('when the password is wrong or the email unknown, then both answer the same 401 CUSTOMERS_INVALID_CREDENTIALS', async () => {
    const { customer } = await registerCustomer(t.app);
    const wrong = await call(t.app, 'POST', '/v1/auth/login', { body: { email: customer.email, password: 'wrong password' } });
    const unknown = await call(t.app, 'POST', '/v1/auth/login', { body: { email: uniqueEmail('ghost'), password: 'wrong password' } });
    for (const res of [wrong, unknown]) expect(res).toMatchObject({ status: 401, body: { code: 'CUSTOMERS_INVALID_CREDENTIALS' } });
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('when an access token has expired, then 401, and its refresh token still yields a working one', async () => {
    t.setClockOffsetMs(-16 * 60 * 1000);
    const { accessToken, refreshToken } = await registerCustomer(t.app);
    t.setClockOffsetMs(0);
    expect(await me(accessToken)).toMatchObject({ status: 401, body: { code: 'AUTH_TOKEN_INVALID' } });
    const refreshed = await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken } });
    expect(refreshed.status).toBe(200);
    expect((await me(refreshed.body.accessToken)).status).toBe(200);
  });

  it('when a guest token is older than 2 hours, then it is refused', async () => {
    t.setClockOffsetMs(-(2 * 60 + 1) * 60 * 1000);
    const { accessToken } = (await call(t.app, 'POST', '/v1/auth/guest')).body;
    t.setClockOffsetMs(0);
    expect((await me(accessToken)).status).toBe(401);
  });

  describe('forged tokens', () => {
    let genuine: string;
    beforeAll(async () => {
      genuine = (await call(t.app, 'POST', '/v1/auth/guest')).body.accessToken;
    });

    const claims = () => ({ ...decodeJwt(genuine), role: 'admin' });

    it("when a token says alg none, then 401", async () => {
      const forged = new UnsecuredJWT(claims()).encode();
      expect(await me(forged)).toMatchObject({ status: 401, body: { code: 'AUTH_TOKEN_INVALID' } });
    });

    it('when a token is signed by a foreign ES256 key claiming our kid, then 401', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: decodeProtectedHeader(genuine).kid! }).sign(privateKey);
      expect((await me(forged)).status).toBe(401);
    });

    it('when a token is HS256-signed with our public key as the secret, then 401', async () => {
      const jwks = (await call(t.app, 'GET', '/.well-known/jwks.json')).body;
      const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
      const forged = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: decodeProtectedHeader(genuine).kid! }).sign(secret);
      expect((await me(forged)).status).toBe(401);
    });

    it('when the payload of a genuine token is changed, then 401', async () => {
      const [header, , signature] = genuine.split('.');
      const payload = Buffer.from(JSON.stringify(claims())).toString('base64url');
      expect((await me(`${header}.${payload}.${signature}`)).status).toBe(401);
      expect((await me(genuine)).status).toBe(200);
    });

    it('when the token is garbage or the header is not Bearer, then 401', async () => {
      expect((await me('not.a.token')).status).toBe(401);
      const basic = await call(t.app, 'GET', '/v1/me', { headers: { authorization: 'Basic abc' } });
      expect(basic.status).toBe(401);
      expect((await call(t.app, 'GET', '/v1/me')).body.code).toBe('AUTH_REQUIRED');
    });

    it('when the JWKS is served, then no key carries private material', async () => {
      const jwks = (await call(t.app, 'GET', '/.well-known/jwks.json')).body;
      expect(jwks.keys.length).toBeGreaterThan(0);
      expect(jwks.keys.filter((k: object) => 'd' in k)).toEqual([]);
    });
  });

  describe('refresh tokens', () => {
    const refresh = (refreshToken: string) => call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken } });

    it('when a refresh token is used, then a new pair is issued and the new access token works', async () => {
      const { refreshToken, customer } = await registerCustomer(t.app);
      const res = await refresh(refreshToken);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), expiresIn: 900, refreshToken: expect.any(String) });
      expect(res.body.refreshToken).not.toBe(refreshToken);
      expect((await me(res.body.accessToken)).body.id).toBe(customer.id);
    });

    it('when a used refresh token comes back, then 401 REUSED and the newer token of that login dies too', async () => {
      const { refreshToken: first } = await registerCustomer(t.app);
      const second = (await refresh(first)).body.refreshToken;
      expect(await refresh(first)).toMatchObject({ status: 401, body: { code: 'CUSTOMERS_REFRESH_TOKEN_REUSED' } });
      expect(await refresh(second)).toMatchObject({ status: 401, body: { code: 'CUSTOMERS_REFRESH_TOKEN_INVALID' } });
    });

    it('when 20 refreshes race with one token, then exactly one gets 200', async () => {
      const { refreshToken } = await registerCustomer(t.app);
      const results = await Promise.all(Array.from({ length: 20 }, () => refresh(refreshToken)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 401)).toHaveLength(19);
    });

    it('when the refresh token is unknown or malformed, then 401 or 400, never 5xx', async () => {
      expect(await refresh('x'.repeat(43))).toMatchObject({ status: 401, body: { code: 'CUSTOMERS_REFRESH_TOKEN_INVALID' } });
      expect((await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: 42 } })).status).toBe(400);
      expect((await call(t.app, 'POST', '/v1/auth/refresh', { body: {} })).status).toBe(400);
    });

    it('when a customer logs out, then 204, that login can no longer refresh and its access token is refused, while another login still works', async () => {
      const session = await registerCustomer(t.app);
      const other = (await call(t.app, 'POST', '/v1/auth/login', { body: { email: session.customer.email, password: session.password } })).body;
      expect((await call(t.app, 'POST', '/v1/auth/logout', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
      const out = await call(t.app, 'POST', '/v1/auth/logout', { token: session.accessToken, body: { refreshToken: session.refreshToken } });
      expect(out.status).toBe(204);
      expect((await refresh(session.refreshToken)).status).toBe(401);
      expect((await me(session.accessToken)).status).toBe(401);
      expect((await me(other.accessToken)).status).toBe(200);
      expect((await refresh(other.refreshToken)).status).toBe(200);
      // what the other processes copy to refuse the token themselves (remote-revocation-list.ts)
      const sid = decodeJwt(session.accessToken).sid;
      expect((await t.customers.client.revocationsSince(0)).filter((r) => r.kind === 'session' && r.id === sid)).toHaveLength(1);
      expect(await t.customers.client.revocationsSince(Date.now() + 3_600_000)).toEqual([]);
    });

    it('when another process asks for revocations with a malformed time, then 400 naming the argument, not a failed query', async () => {
      for (const bad of [Number.NaN, -1, '0', Number.POSITIVE_INFINITY] as unknown[]) {
        await expect(t.customers.client.revocationsSince(bad as number)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'args.0' }] } });
      }
    });

    it('when a guest logs out with an empty object, then 204 and its token is refused; with no body at all, 400', async () => {
      const guest = (await call(t.app, 'POST', '/v1/auth/guest')).body.accessToken;
      expect((await call(t.app, 'POST', '/v1/auth/logout', { token: guest })).status).toBe(400);
      expect((await me(guest)).status).toBe(200);
      expect((await call(t.app, 'POST', '/v1/auth/logout', { token: guest, body: {} })).status).toBe(204);
      expect((await me(guest)).status).toBe(401);
    });

    it("when someone logs out with another customer's refresh token, then 204 but that token keeps working", async () => {
      const victim = await registerCustomer(t.app);
      const guest = (await call(t.app, 'POST', '/v1/auth/guest')).body.accessToken;
      const out = await call(t.app, 'POST', '/v1/auth/logout', { token: guest, body: { refreshToken: victim.refreshToken } });
      expect(out.status).toBe(204);
      expect((await refresh(victim.refreshToken)).status).toBe(200);
    });
  });

  it('when a guest session starts, then it has no refresh token and /v1/me shows a guest without email', async () => {
    const res = await call(t.app, 'POST', '/v1/auth/guest');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ customer: { id: expect.any(String) }, accessToken: expect.any(String), expiresIn: 7_200 });
    expect((await me(res.body.accessToken)).body).toEqual({ id: res.body.customer.id, email: null, name: null, role: 'guest' });
  });

  it('when the OpenAPI document is generated, then the auth routes are in it', async () => {
    const doc = await call(t.app, 'GET', '/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/v1/auth/register', '/v1/auth/login', '/v1/me', '/v1/admin/api-keys']));
  });
});
