import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, registerCustomer, startCustomersApp, uniqueEmail, type CustomersTestApp } from './customers-app.test-support.js';

interface Entry {
  id: string;
  actor: { type: string; id: string | null };
  action: string;
  target: { type: string; id: string } | null;
  requestId: string | null;
  clientIp: string | null;
  details: Record<string, unknown>;
}

describe('customers audit events', () => {
  let t: CustomersTestApp;
  let adminToken: string;
  let adminId: string;
  const admin = { email: uniqueEmail('admin'), password: 'admin password 1' };
  const logInAdmin = async () => {
    const login = await call(t.app, 'POST', '/v1/auth/login', { body: admin });
    adminToken = login.body.accessToken;
    adminId = login.body.customer.id;
  };
  beforeAll(async () => {
    t = await startCustomersApp();
    await t.customers.ensureAdmin(admin.email, admin.password);
    await logInAdmin();
  });
  afterAll(() => t?.close());

  const audit = async (query: string): Promise<Entry[]> => {
    const res = await call<{ items: Entry[] }>(t.app, 'GET', `/v1/admin/audit?${query}`, { token: adminToken });
    expect(res.status).toBe(200);
    return res.body.items;
  };

  it('when a login fails for a known account, then exactly one entry names the account, the request and no email', async () => {
    const customer = await registerCustomer(t.app);
    const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email: customer.customer.email, password: 'wrong password!' } });
    expect(res.status).toBe(401);
    const entries = await audit(`action=auth.login_failed&target=account:${customer.customer.id}`);
    expect(entries).toEqual([expect.objectContaining({ actor: { type: 'anonymous', id: null }, requestId: res.headers['x-request-id'], clientIp: '127.0.0.1', details: { reason: 'wrong_password' } })]);
  });

  it('when a login fails for an unknown email, then one entry is written and the email is stored nowhere in the audit table', async () => {
    const email = uniqueEmail('nobody');
    const res = await call(t.app, 'POST', '/v1/auth/login', { body: { email, password: 'whatever password' } });
    expect(res.status).toBe(401);
    const mine = (await audit('action=auth.login_failed&limit=100')).filter((e) => e.requestId === res.headers['x-request-id']);
    expect(mine).toEqual([expect.objectContaining({ target: null, details: { reason: 'unknown_email' } })]);
    const raw = await sql<{ n: number }>`select count(*)::int as n from audit.entries where entries::text like ${`%${email}%`}`.execute(t.db.kysely);
    expect(raw.rows[0]!.n).toBe(0);
  });

  it('when a used refresh token is presented again, then exactly one reuse entry names the account', async () => {
    const customer = await registerCustomer(t.app);
    expect((await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: customer.refreshToken } })).status).toBe(200);
    expect((await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: customer.refreshToken } })).status).toBe(401);
    const entries = await audit(`action=auth.refresh_token_reused&target=account:${customer.customer.id}`);
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries)).not.toContain(customer.refreshToken);
  });

  it('when an admin creates and revokes an api key, then each leaves one entry by that admin, and the key is in neither', async () => {
    const created = await call(t.app, 'POST', '/v1/admin/api-keys', { token: adminToken, body: { name: 'erp' } });
    const id: string = created.body.id;
    expect((await call(t.app, 'DELETE', `/v1/admin/api-keys/${id}`, { token: adminToken })).status).toBe(204);
    const entries = await audit(`target=api_key:${id}`);
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ['api_key.revoked', { type: 'admin', id: adminId }],
      ['api_key.created', { type: 'admin', id: adminId }],
    ]);
    expect(entries[1]!.details).toEqual({ name: 'erp', prefix: created.body.prefix });
    expect(JSON.stringify(entries)).not.toContain(created.body.key);
  });

  it('when an admin creates an expiring api key, then its entry carries the expiry', async () => {
    const expiresAt = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString();
    const created = await call(t.app, 'POST', '/v1/admin/api-keys', { token: adminToken, body: { name: 'temp', expiresAt } });
    expect(created.status).toBe(201);
    const [entry] = await audit(`action=api_key.created&target=api_key:${created.body.id}`);
    expect(entry!.details).toEqual({ name: 'temp', prefix: created.body.prefix, expiresAt });
  });

  it('when an admin deactivates an account, then one entry by that admin names the account; an unknown id leaves none', async () => {
    const customer = await registerCustomer(t.app);
    const res = await call(t.app, 'POST', `/v1/admin/customers/${customer.customer.id}/deactivate`, { token: adminToken });
    expect(res.status).toBe(204);
    expect(await audit(`action=account.deactivated&target=account:${customer.customer.id}`)).toEqual([
      expect.objectContaining({ actor: { type: 'admin', id: adminId }, requestId: res.headers['x-request-id'] }),
    ]);
    const unknown = '0190f0f0-0000-7000-8000-000000000000';
    expect((await call(t.app, 'POST', `/v1/admin/customers/${unknown}/deactivate`, { token: adminToken })).status).toBe(404);
    expect(await audit(`action=account.deactivated&target=account:${unknown}`)).toEqual([]);
  });

  it('when an api key is used many times within a minute, then one use entry is written, and the key may read the audit log', async () => {
    const { body: key } = await call(t.app, 'POST', '/v1/admin/api-keys', { token: adminToken, body: { name: 'reporting' } });
    for (let i = 0; i < 5; i++) expect((await call(t.app, 'GET', '/v1/admin/api-keys', { apiKey: key.key })).status).toBe(200);
    const viaKey = await call<{ items: Entry[] }>(t.app, 'GET', `/v1/admin/audit?action=api_key.used&actor=api_key:${key.id}`, { apiKey: key.key });
    expect(viaKey.status).toBe(200);
    expect(viaKey.body.items).toEqual([expect.objectContaining({ actor: { type: 'api_key', id: key.id }, target: { type: 'api_key', id: key.id } })]);
  });

  it('when the signing key is rotated and the old one retired, then each leaves one entry by the system', async () => {
    const { kid, previousKid } = await t.customers.rotateSigningKey();
    expect(await t.customers.retireSigningKey(previousKid!)).toEqual({ ok: true });
    // the admin's token was signed with the key just retired
    await logInAdmin();
    expect(await audit(`action=signing_key.rotated&target=signing_key:${kid}`)).toEqual([
      expect.objectContaining({ actor: { type: 'system', id: null }, details: { previousKid } }),
    ]);
    expect(await audit(`action=signing_key.retired&target=signing_key:${previousKid}`)).toHaveLength(1);
  });

  it('when a customer or guest reads the audit log, then 403; anonymous, 401', async () => {
    const customer = await registerCustomer(t.app);
    expect((await call(t.app, 'GET', '/v1/admin/audit', { token: customer.accessToken })).status).toBe(403);
    const guest = (await call(t.app, 'POST', '/v1/auth/guest')).body.accessToken;
    expect((await call(t.app, 'GET', '/v1/admin/audit', { token: guest })).status).toBe(403);
    expect((await call(t.app, 'GET', '/v1/admin/audit')).status).toBe(401);
  });

  it.each([
    ['action=orders.deleted', 'query.action'],
    ['actor=root', 'query.actor'],
    ['actor=admin:not%20an%20id', 'query.actor'],
    ['target=Order:1', 'query.target'],
    ['limit=0', 'query.limit'],
    ['limit=101', 'query.limit'],
    ['cursor=bm90LWEtdXVpZA', 'query.cursor'],
    ['since=yesterday', 'query.since'],
  ])('when the audit log is asked with a bad filter (%s), then 400 problem+json naming %s', async (query, field) => {
    const res = await call(t.app, 'GET', `/v1/admin/audit?${query}`, { token: adminToken });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('when the log is read page by page, then the cursor walks it newest first without repeats', async () => {
    for (let i = 0; i < 3; i++) await call(t.app, 'POST', '/v1/auth/login', { body: { email: uniqueEmail('pager'), password: 'wrong password' } });
    const first = await call<{ items: Entry[]; nextCursor: string }>(t.app, 'GET', '/v1/admin/audit?action=auth.login_failed&limit=2', { token: adminToken });
    const second = await call<{ items: Entry[] }>(t.app, 'GET', `/v1/admin/audit?action=auth.login_failed&limit=2&cursor=${first.body.nextCursor}`, { token: adminToken });
    const ids = [...first.body.items, ...second.body.items].map((e) => e.id);
    expect(new Set(ids).size).toBe(4);
    expect([...ids].sort().reverse()).toEqual(ids);
  });
});
