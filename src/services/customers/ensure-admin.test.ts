import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, registerCustomer, startCustomersApp, uniqueEmail, type CustomersTestApp } from './http/customers-app.test-support.js';

describe('ensureAdmin', () => {
  let t: CustomersTestApp;
  beforeAll(async () => {
    t = await startCustomersApp();
  });
  afterAll(() => t?.close());

  const login = (email: string, password: string) => call(t.app, 'POST', '/v1/auth/login', { body: { email, password } });

  it('when no account exists, then an admin is created, and a second call with the same password changes nothing', async () => {
    const email = uniqueEmail('admin');
    await t.customers.ensureAdmin(email, 'first admin password');
    const first = await login(email, 'first admin password');
    expect(first.status).toBe(200);
    expect(decodeJwt(first.body.accessToken).role).toBe('admin');

    await t.customers.ensureAdmin(email.toUpperCase(), 'first admin password');
    const second = await login(email, 'first admin password');
    expect(second.body.customer.id).toBe(first.body.customer.id);
    // the same password leaves existing sessions alone
    expect((await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: first.body.refreshToken } })).status).toBe(200);
  });

  it('when the password changes, then only the new one logs in and old sessions end', async () => {
    const email = uniqueEmail('admin');
    await t.customers.ensureAdmin(email, 'old admin password');
    const old = (await login(email, 'old admin password')).body;
    await t.customers.ensureAdmin(email, 'new admin password');
    expect((await login(email, 'old admin password')).status).toBe(401);
    expect((await login(email, 'new admin password')).status).toBe(200);
    expect((await call(t.app, 'POST', '/v1/auth/refresh', { body: { refreshToken: old.refreshToken } })).status).toBe(401);
  });

  it('when the email belongs to a customer, then the customer is promoted and the given password works', async () => {
    const customer = await registerCustomer(t.app);
    await t.customers.ensureAdmin(customer.customer.email, 'promoted admin password');
    const res = await login(customer.customer.email, 'promoted admin password');
    expect(res.body.customer.id).toBe(customer.customer.id);
    expect((await call(t.app, 'GET', '/v1/me', { token: res.body.accessToken })).body.role).toBe('admin');
  });

  it('when two processes ensure the same admin at once, then one account results and the login works', async () => {
    const email = uniqueEmail('admin');
    await Promise.all([t.customers.ensureAdmin(email, 'raced admin password'), t.customers.ensureAdmin(email, 'raced admin password')]);
    expect((await login(email, 'raced admin password')).status).toBe(200);
  });
});
