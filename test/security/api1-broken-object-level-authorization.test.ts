// OWASP API1:2023 Broken Object Level Authorization: every route that takes an object id, called
// with the owner's ids by every kind of caller. The API's rule: an object that is not yours does
// not exist (404, never 403, so ids reveal nothing); no credentials is 401; admin routes are
// refused to non-admins (403) before any id is looked at; admins read any order.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, type CallOptions } from '../support/api.js';
import { useTestShop } from '../support/shop.js';
import { makePrincipals, ROLES, type Principals, type Role } from './principals.js';

type Expected = Record<Role, number>;

// the owner goes last, so every other caller meets the object in its original state
const ATTACKERS_FIRST: Role[] = [...ROLES.filter((r) => r !== 'owner'), 'owner'];

describe('API1 broken object level authorization: the BOLA matrix', () => {
  const ctx = useTestShop('pglite');
  let who: Principals;
  let variantId: string;
  let cartId: string;
  let itemId: string;
  let orderId: string;

  beforeAll(async () => {
    const { api, shopper, admin } = ctx;
    who = await makePrincipals(api, shopper, admin);
    ({ variantId } = await shopper.createProduct(admin, { stock: 100 }));
    cartId = await shopper.cartWith(who.ownerToken, variantId, 1);
    itemId = (await api.get(`/v1/carts/${cartId}`, { token: who.ownerToken })).body.items[0].id;
    const ordered = await shopper.checkout(who.ownerToken, await shopper.cartWith(who.ownerToken, variantId, 1));
    expect(ordered.status).toBe(202);
    orderId = ordered.body.orderId;
  }, 60_000);

  /** Calls one route as every role (owner last) and returns role → status. */
  async function matrix(method: string, path: () => string, body?: (role: Role) => unknown, extra: (role: Role) => CallOptions = () => ({})) {
    const statuses = {} as Record<Role, number>;
    for (const role of ATTACKERS_FIRST) {
      const options = { ...who[role], headers: { ...who[role].headers, ...extra(role).headers } };
      statuses[role] = (await ctx.api.call(method, path(), body?.(role), options)).status;
    }
    return statuses;
  }

  const ownerCart = () => ctx.api.get(`/v1/carts/${cartId}`, { token: who.ownerToken }).then((r) => r.body);

  it('when every role reads the owner\'s cart by id, then only the owner gets it', async () => {
    const expected: Expected = { owner: 200, otherCustomer: 404, guest: 404, anonymous: 401, admin: 404, apiKey: 404 };
    expect(await matrix('GET', () => `/v1/carts/${cartId}`)).toEqual(expected);
  });

  it('when every role adds an item to the owner\'s cart, then only the owner\'s line is added', async () => {
    const before = await ownerCart();
    const expected: Expected = { owner: 201, otherCustomer: 404, guest: 404, anonymous: 401, admin: 404, apiKey: 404 };
    const statuses = await matrix('POST', () => `/v1/carts/${cartId}/items`, () => ({ variantId, quantity: 1 }));
    expect(statuses).toEqual(expected);
    // 1 unit before, +1 from the owner only
    expect((await ownerCart()).items[0].quantity).toBe(before.items[0].quantity + 1);
  });

  it('when every role changes the quantity of the owner\'s cart line, then only the owner\'s change lands', async () => {
    const quantity = (role: Role) => (role === 'owner' ? 5 : 9);
    const expected: Expected = { owner: 200, otherCustomer: 404, guest: 404, anonymous: 401, admin: 404, apiKey: 404 };
    expect(await matrix('PATCH', () => `/v1/carts/${cartId}/items/${itemId}`, (role) => ({ quantity: quantity(role) }))).toEqual(expected);
    expect((await ownerCart()).items[0].quantity).toBe(5);
  });

  it('when every role deletes the owner\'s cart line, then only the owner can', async () => {
    const expected: Expected = { owner: 200, otherCustomer: 404, guest: 404, anonymous: 401, admin: 404, apiKey: 404 };
    const statuses = {} as Record<Role, number>;
    for (const role of ATTACKERS_FIRST) {
      if (role === 'owner') expect((await ownerCart()).items).toHaveLength(1);
      statuses[role] = (await ctx.api.delete(`/v1/carts/${cartId}/items/${itemId}`, who[role])).status;
    }
    expect(statuses).toEqual(expected);
    expect((await ownerCart()).items).toHaveLength(0);
  });

  it('when every role checks out the owner\'s cart, then only the owner places an order', async () => {
    const cart = await ctx.shopper.cartWith(who.ownerToken, variantId, 1);
    const expected: Expected = { owner: 202, otherCustomer: 404, guest: 404, anonymous: 401, admin: 404, apiKey: 404 };
    const statuses = await matrix('POST', () => '/v1/checkout', () => ({ cartId: cart, email: 'bola@example.com', shippingAddress: ADDRESS, paymentToken: 'tok_visa' }), () => ({ headers: { 'idempotency-key': randomUUID() } }));
    expect(statuses).toEqual(expected);
  });

  it('when every role reads the owner\'s order by id, then only the owner and admins get it', async () => {
    const expected: Expected = { owner: 200, otherCustomer: 404, guest: 404, anonymous: 401, admin: 200, apiKey: 200 };
    expect(await matrix('GET', () => `/v1/orders/${orderId}`)).toEqual(expected);
  });

  it('when every role lists orders, then the owner\'s order appears in the owner\'s list only', async () => {
    const seen = {} as Record<Role, number | boolean>;
    for (const role of ROLES) {
      const res = await ctx.api.get('/v1/orders', who[role]);
      seen[role] = res.status === 200 ? (res.body.items as Array<{ id: string }>).some((o) => o.id === orderId) : res.status;
    }
    expect(seen).toEqual({ owner: true, otherCustomer: false, guest: false, anonymous: 401, admin: false, apiKey: false });
  });

  it('when every role reads /v1/me, then each gets itself and nobody gets the owner', async () => {
    const seen = {} as Record<Role, number | string>;
    for (const role of ROLES) {
      const res = await ctx.api.get('/v1/me', who[role]);
      seen[role] = res.status === 200 ? (res.body.id === who.ownerId ? 'owner' : 'self') : res.status;
    }
    expect(seen).toEqual({ owner: 'owner', otherCustomer: 'self', guest: 'self', anonymous: 401, admin: 'self', apiKey: 404 });
  });

  it('when another customer logs out with the owner\'s refresh token, then the owner\'s session survives', async () => {
    const login = await ctx.api.post('/v1/auth/login', { email: who.ownerEmail, password: 'a-long-password-1' });
    expect(login.status).toBe(200);
    const stolen = login.body.refreshToken as string;
    // a logout ends the CALLER's own session, so the attackers here are throwaway principals: the
    // shared ones must stay signed in for the tests below
    const attackers = await makePrincipals(ctx.api, ctx.shopper, await ctx.shopper.adminToken(ctx.shop.admin));
    for (const role of ['otherCustomer', 'guest', 'admin', 'apiKey'] as const) {
      expect((await ctx.api.post('/v1/auth/logout', { refreshToken: stolen }, attackers[role])).status, role).toBeLessThan(500);
    }
    expect((await ctx.api.post('/v1/auth/logout', { refreshToken: stolen })).status).toBe(401);
    expect((await ctx.api.post('/v1/auth/refresh', { refreshToken: stolen })).status).toBe(200);
  });

  describe('admin objects', () => {
    const admins = (ok: number): Expected => ({ owner: 403, otherCustomer: 403, guest: 403, anonymous: 401, admin: ok, apiKey: ok });

    it('when every role reads a variant\'s stock level, then only admins and API keys may', async () => {
      expect(await matrix('GET', () => `/v1/admin/inventory/${variantId}`)).toEqual(admins(200));
    });

    it('when every role renames a product by id, then only admins and API keys may', async () => {
      const { productId } = await ctx.shopper.createProduct(ctx.admin, { stock: 1 });
      expect(await matrix('PATCH', () => `/v1/admin/products/${productId}`, (role) => ({ name: `Renamed by ${role}` }))).toEqual(admins(200));
      // admin then apiKey succeeded, in that order; nobody else's name landed
      expect((await ctx.api.get(`/v1/products/${productId}`)).body.name).toBe('Renamed by apiKey');
    });

    it('when every role revokes an admin API key by id, then only admins and API keys may', async () => {
      const targets = {} as Record<Role, string>;
      for (const role of ROLES) targets[role] = (await ctx.api.post('/v1/admin/api-keys', { name: `target-${role}` }, { token: ctx.admin })).body.id;
      const statuses = {} as Record<Role, number>;
      for (const role of ATTACKERS_FIRST) statuses[role] = (await ctx.api.delete(`/v1/admin/api-keys/${targets[role]}`, who[role])).status;
      expect(statuses).toEqual(admins(204));
      const listed = (await ctx.api.get('/v1/admin/api-keys?limit=100', { token: ctx.admin })).body.items as Array<{ id: string; revokedAt: string | null }>;
      const revoked = (role: Role) => listed.find((k) => k.id === targets[role])?.revokedAt !== null;
      expect(ROLES.filter(revoked).sort()).toEqual(['admin', 'apiKey']);
    });

    it('when every role cancels the owner\'s order through the admin route, then only admins and API keys may', async () => {
      const orders = {} as Record<Role, string>;
      for (const role of ROLES) {
        const placed = await ctx.shopper.checkout(who.ownerToken, await ctx.shopper.cartWith(who.ownerToken, variantId, 1));
        orders[role] = placed.body.orderId;
      }
      const statuses = {} as Record<Role, number>;
      for (const role of ATTACKERS_FIRST) statuses[role] = (await ctx.api.post(`/v1/admin/orders/${orders[role]}/cancel`, {}, who[role])).status;
      // an admin may meet a payment that settles first: cancelled (200) or an illegal transition (409) are both the admin's answer
      expect({ ...statuses, admin: statuses.admin === 409 ? 200 : statuses.admin, apiKey: statuses.apiKey === 409 ? 200 : statuses.apiKey }).toEqual(admins(200));
      for (const role of ['owner', 'otherCustomer', 'guest', 'anonymous'] as const) {
        const order = await ctx.api.get(`/v1/orders/${orders[role]}`, { token: who.ownerToken });
        expect(order.body.status, role).not.toBe('cancelled');
      }
    });
  });
});
