import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, createApi, createShopper, type Api, type ApiResponse } from '../support/api.js';
import { startTestShop, type TestShop } from '../support/shop.js';

// tight limits for this shop only (every other test shop gets generous ones, test/support/test-limits.ts)
const TIGHT = {
  RATE_LIMIT_REGISTER_PER_ADDRESS: '2/1h',
  RATE_LIMIT_GUEST_PER_ADDRESS: '2/1h',
  RATE_LIMIT_REFRESH_PER_ADDRESS: '2/1m',
  RATE_LIMIT_LOGIN_PER_ADDRESS: '5/1m',
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '50/5m',
  LOGIN_LOCKOUT_FREE_FAILURES: '2',
  LOGIN_LOCKOUT_BASE_SECONDS: '1',
  LOGIN_LOCKOUT_MAX_SECONDS: '4',
  RATE_LIMIT_CART_CREATE_PER_CUSTOMER: '3/1h',
  CARTS_MAX_OPEN_PER_CUSTOMER: '2',
  RATE_LIMIT_CART_WRITE_PER_CUSTOMER: '3/1m',
  RATE_LIMIT_CHECKOUT_PER_CUSTOMER: '1/1m',
  RATE_LIMIT_ADMIN_PER_API_KEY: '12/1m',
  RATE_LIMIT_FLASH_JOIN_PER_CUSTOMER: '2/1m',
  RATE_LIMIT_FLASH_RESERVE_PER_CUSTOMER: '2/1m',
};

const PASSWORD = 'a-long-password-1';

function expectLimited(res: ApiResponse, limit: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(429);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  expect(res.body.detail).toContain(limit);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
}

describe('rate limits of the shop, per key as docs/limits.md says', () => {
  let shop: TestShop;
  let api: Api;
  let admin: string;
  let variantId: string;
  const from = (address: string) => ({ 'x-forwarded-for': address });
  const register = async (address: string, email = `l-${randomUUID()}@example.com`) => {
    const res = await api.post('/v1/auth/register', { email, password: PASSWORD, name: 'Limit Tester' }, { headers: from(address) });
    return { res, email, token: res.body?.accessToken as string, refreshToken: res.body?.refreshToken as string };
  };

  beforeAll(async () => {
    shop = await startTestShop('pglite', TIGHT);
    api = createApi(shop.url);
    const shopper = createShopper(api);
    admin = await shopper.adminToken(shop.admin);
    ({ variantId } = await shopper.createProduct(admin, { stock: 50 }));
  });
  afterAll(() => shop?.dispose());

  it('when one address registers past its limit, then 429 with RateLimit headers, the account is not created, and another address still registers', async () => {
    expect((await register('10.0.0.1')).res.status).toBe(201);
    expect((await register('10.0.0.1')).res.status).toBe(201);
    const refused = await register('10.0.0.1');
    expectLimited(refused.res, 'register-per-address');
    expect(refused.res.headers.get('ratelimit-policy')).toBe('"register-per-address";q=2;w=3600');
    expect(refused.res.headers.get('ratelimit')).toMatch(/^"register-per-address";r=0;t=\d+$/);
    // nothing was written: the refused email has no account
    expect((await api.post('/v1/auth/login', { email: refused.email, password: PASSWORD }, { headers: from('10.0.0.9') })).status).toBe(401);
    expect((await register('10.0.0.2')).res.status).toBe(201);
  });

  it('when one address starts guest sessions past its limit, then 429', async () => {
    const guest = () => api.post('/v1/auth/guest', undefined, { headers: from('10.0.1.1') });
    expect([(await guest()).status, (await guest()).status]).toEqual([201, 201]);
    expectLimited(await guest(), 'guest-per-address');
  });

  it('when one address refreshes past its limit, then 429 and the refresh token it sent is not used up', async () => {
    let { refreshToken } = await register('10.0.2.1');
    for (let i = 0; i < 2; i += 1) {
      const ok = await api.post('/v1/auth/refresh', { refreshToken }, { headers: from('10.0.2.2') });
      expect(ok.status).toBe(200);
      refreshToken = ok.body.refreshToken;
    }
    expectLimited(await api.post('/v1/auth/refresh', { refreshToken }, { headers: from('10.0.2.2') }), 'refresh-per-address');
    expect((await api.post('/v1/auth/refresh', { refreshToken }, { headers: from('10.0.2.3') })).status).toBe(200);
  });

  it('when one address logs in past its limit, then 429 even with the right password', async () => {
    const { email } = await register('10.0.3.1');
    const login = () => api.post('/v1/auth/login', { email, password: PASSWORD }, { headers: from('10.0.3.2') });
    for (let i = 0; i < 5; i += 1) expect((await login()).status).toBe(200);
    expectLimited(await login(), 'login-per-address');
  });

  it('when an address keeps guessing one account, then it is locked out of it (right password included) while the owner logs in from home', async () => {
    const { email } = await register('10.0.4.1');
    expect((await api.post('/v1/auth/login', { email, password: PASSWORD }, { headers: from('10.0.4.1') })).status).toBe(200);
    const attempt = (password: string, address: string) => api.post('/v1/auth/login', { email, password }, { headers: from(address) });
    // two free failures; the third starts a 1 s lock for this account from this address
    const guesses = [];
    for (let i = 0; i < 3; i += 1) guesses.push((await attempt(`wrong-guess-${i}`, '10.0.4.66')).status);
    expect(guesses).toEqual([401, 401, 401]);
    const lockedOut = await attempt(PASSWORD, '10.0.4.66');
    expectLimited(lockedOut, 'login-lockout');
    expect(lockedOut.headers.get('retry-after')).toBe('1');
    expect((await attempt(PASSWORD, '10.0.4.1')).status).toBe(200);
  });

  it('when a customer creates carts, then the open-cart cap answers 409 and the creation limit 429', async () => {
    const { token } = await register('10.0.5.1');
    const create = () => api.post('/v1/carts', undefined, { token });
    expect([(await create()).status, (await create()).status]).toEqual([201, 201]);
    const capped = await create();
    expect(capped.status).toBe(409);
    expect(capped.body.code).toBe('CARTS_OPEN_LIMIT_REACHED');
    expectLimited(await create(), 'cart-create-per-customer');
  });

  it('when a customer writes to a cart past the limit, then 429 and the cart keeps its last accepted state; another customer is not limited', async () => {
    const { token } = await register('10.0.6.1');
    const cartId = (await api.post('/v1/carts', undefined, { token })).body.id as string;
    const added = await api.post(`/v1/carts/${cartId}/items`, { variantId, quantity: 1 }, { token });
    expect(added.status).toBe(201);
    const itemId = added.body.items[0].id as string;
    expect((await api.patch(`/v1/carts/${cartId}/items/${itemId}`, { quantity: 2 }, { token })).status).toBe(200);
    expect((await api.patch(`/v1/carts/${cartId}/items/${itemId}`, { quantity: 3 }, { token })).status).toBe(200);
    expectLimited(await api.patch(`/v1/carts/${cartId}/items/${itemId}`, { quantity: 9 }, { token }), 'cart-write-per-customer');
    expect((await api.get(`/v1/carts/${cartId}`, { token })).body.items[0].quantity).toBe(3);

    const other = await register('10.0.6.2');
    const otherCart = (await api.post('/v1/carts', undefined, { token: other.token })).body.id as string;
    expect((await api.post(`/v1/carts/${otherCart}/items`, { variantId, quantity: 1 }, { token: other.token })).status).toBe(201);
  });

  it('when a customer checks out past the limit, then 429 and no second order exists', async () => {
    const { token } = await register('10.0.7.1');
    const cartOf = async () => {
      const cartId = (await api.post('/v1/carts', undefined, { token })).body.id as string;
      expect((await api.post(`/v1/carts/${cartId}/items`, { variantId, quantity: 1 }, { token })).status).toBe(201);
      return cartId;
    };
    const checkout = (cartId: string) => api.post('/v1/checkout', { cartId, email: 'shopper@example.com', shippingAddress: ADDRESS, paymentToken: 'tok_visa' }, { token, headers: { 'idempotency-key': randomUUID() } });
    expect((await checkout(await cartOf())).status).toBe(202);
    expectLimited(await checkout(await cartOf()), 'checkout-per-customer');
    const orders = await api.get('/v1/orders', { token });
    expect(orders.status, JSON.stringify(orders.body)).toBe(200);
    expect(orders.body.items).toHaveLength(1);
  });

  it('when a customer joins a flash sale or asks for reservations past the limits, then 429 (whatever the earlier answers were)', async () => {
    const now = Date.now();
    const sale = await api.post('/v1/admin/flash-sales', {
      variantId, price: { amount: 999, currency: 'USD' }, quantity: 5, startsAt: new Date(now - 1_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(), perCustomerLimit: 2, admissionRatePerSecond: 10,
    }, { token: admin });
    expect(sale.status, JSON.stringify(sale.body)).toBe(201);
    const saleId = sale.body.id as string;
    const { token } = await register('10.0.8.1');
    const join = () => api.post(`/v1/flash-sales/${saleId}/queue`, undefined, { token });
    const joins = [(await join()).status, (await join()).status];
    expect(joins).not.toContain(429);
    expectLimited(await join(), 'flash-join-per-customer');

    // no admission token: each is refused on its own terms until the limit answers first
    const reserve = () => api.post(`/v1/flash-sales/${saleId}/reservations`, { quantity: 1 }, { token, headers: { 'idempotency-key': randomUUID(), 'admission-token': 'not-a-token' } });
    const reservations = [(await reserve()).status, (await reserve()).status];
    expect(reservations).not.toContain(429);
    expectLimited(await reserve(), 'flash-reserve-per-customer');
  });

  it('when an API key calls admin routes past its limit, then that key gets 429 while the admin account goes on', async () => {
    const created = await api.post('/v1/admin/api-keys', { name: `limits-${randomUUID().slice(0, 8)}` }, { token: admin });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const read = (headers: Record<string, string>) => api.get(`/v1/admin/inventory/${variantId}`, { headers });
    for (let i = 0; i < 12; i += 1) expect((await read({ 'x-api-key': key })).status).toBe(200);
    expectLimited(await read({ 'x-api-key': key }), 'admin-per-api-key');
    expect((await read({ authorization: `Bearer ${admin}` })).status).toBe(200);
  });
});
