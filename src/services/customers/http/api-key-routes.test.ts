import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, registerCustomer, startCustomersApp, uniqueEmail, type CustomersTestApp } from './customers-app.test-support.js';

describe('admin api-key routes', () => {
  let t: CustomersTestApp;
  let adminToken: string;
  beforeAll(async () => {
    t = await startCustomersApp();
    const admin = { email: uniqueEmail('admin'), password: 'admin password 1' };
    await t.customers.ensureAdmin(admin.email, admin.password);
    adminToken = (await call(t.app, 'POST', '/v1/auth/login', { body: admin })).body.accessToken;
  });
  afterAll(() => t?.close());

  const createKey = async (name = 'erp sync') => {
    const res = await call(t.app, 'POST', '/v1/admin/api-keys', { token: adminToken, body: { name } });
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string; key: string; prefix: string };
  };

  it('when a customer calls an admin route, then 403; without credentials, 401', async () => {
    const { accessToken } = await registerCustomer(t.app);
    expect(await call(t.app, 'POST', '/v1/admin/api-keys', { token: accessToken, body: { name: 'x' } })).toMatchObject({
      status: 403,
      body: { code: 'FORBIDDEN' },
    });
    expect((await call(t.app, 'GET', '/v1/admin/api-keys')).status).toBe(401);
  });

  it('when an admin creates a key, then it is shown once and then works as X-Api-Key on admin routes', async () => {
    const created = await createKey();
    expect(created).toEqual({
      id: created.id,
      name: 'erp sync',
      prefix: created.key.slice(4, 12),
      role: 'admin',
      createdAt: expect.any(String),
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
      key: expect.stringMatching(/^fgk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/),
    });

    const list = await call(t.app, 'GET', '/v1/admin/api-keys', { apiKey: created.key });
    expect(list.status).toBe(200);
    const listed = list.body.items.find((k: { id: string }) => k.id === created.id);
    expect(Object.keys(listed).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'role']);
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(created.key.slice(13));
  });

  it('when a key is revoked, then 204 and the key is refused with 401 at once', async () => {
    const { id, key } = await createKey();
    expect((await call(t.app, 'GET', '/v1/admin/api-keys', { apiKey: key })).status).toBe(200);
    expect((await call(t.app, 'DELETE', `/v1/admin/api-keys/${id}`, { token: adminToken })).status).toBe(204);
    expect(await call(t.app, 'GET', '/v1/admin/api-keys', { apiKey: key })).toMatchObject({
      status: 401,
      body: { code: 'CUSTOMERS_API_KEY_INVALID' },
    });
    // revoking again is not an error
    expect((await call(t.app, 'DELETE', `/v1/admin/api-keys/${id}`, { token: adminToken })).status).toBe(204);
  });

  it('when a key is made up or malformed, then 401', async () => {
    const madeUp = `fgk_0123abcd_${'A'.repeat(43)}`;
    for (const apiKey of [madeUp, 'nonsense']) {
      expect(await call(t.app, 'GET', '/v1/admin/api-keys', { apiKey })).toMatchObject({ status: 401, body: { code: 'CUSTOMERS_API_KEY_INVALID' } });
    }
  });

  it('when an unknown or malformed id is revoked, then 404 or 400', async () => {
    expect(await call(t.app, 'DELETE', `/v1/admin/api-keys/${uuidv7()}`, { token: adminToken })).toMatchObject({
      status: 404,
      body: { code: 'CUSTOMERS_API_KEY_NOT_FOUND' },
    });
    expect((await call(t.app, 'DELETE', '/v1/admin/api-keys/not-a-uuid', { token: adminToken })).status).toBe(400);
  });

  it('when an api key asks for /v1/me, then 404 (a key is not an account), not a 500', async () => {
    const { key } = await createKey();
    expect(await call(t.app, 'GET', '/v1/me', { apiKey: key })).toMatchObject({ status: 404, body: { code: 'CUSTOMERS_NOT_FOUND' } });
  });

  it('when keys are listed in pages, then the cursor walks through all of them once', async () => {
    for (let i = 0; i < 3; i++) await createKey(`paged ${i}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await call(
        t.app,
        'GET',
        `/v1/admin/api-keys?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: adminToken },
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((k) => k.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect((await call(t.app, 'GET', '/v1/admin/api-keys?limit=1000', { token: adminToken })).status).toBe(400);
  });

  it('when the name is missing or blank, then 400 naming the field', async () => {
    const res = await call(t.app, 'POST', '/v1/admin/api-keys', { token: adminToken, body: { name: '   ' } });
    expect(res).toMatchObject({ status: 400, body: { errors: [{ field: 'body.name' }] } });
  });
});
