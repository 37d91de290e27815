import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, type ApiResponse, type CallOptions } from '../support/api.js';
import { changedTables, createFingerprinter, type Fingerprint } from '../support/database-fingerprint.js';
import { useTestShop } from '../support/shop.js';

const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** fetch refuses to send control characters in headers; an attacker's client does not */
function rawRequest(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk) => { answer += String(chunk); });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
  });
}

/**
 * The inputs that answered 500 before (issue 7): a NUL byte reaching PostgreSQL, and cursors
 * that passed validation but failed PostgreSQL's casts. Each must now be a 400 naming the field.
 */
describe('inputs that once answered 500', () => {
  const ctx = useTestShop('pglite');
  let customer: { token: string };
  let cartId: string;
  let categoryId: string;
  let fingerprint: () => Promise<Fingerprint>;

  beforeAll(async () => {
    const { shopper, admin } = ctx;
    customer = await ctx.shopper.register();
    const product = await shopper.createProduct(admin, { stock: 5 });
    cartId = await shopper.cartWith(customer.token, product.variantId);
    categoryId = (await ctx.api.get('/v1/categories')).body.items[0].id;
    fingerprint = await createFingerprinter(ctx.shop.database);
  });

  type Attempt = [label: string, field: string, send: () => Promise<ApiResponse>];
  const post = (path: string, body: unknown, options: CallOptions = {}) => ctx.api.post(path, body, options);
  const attempts: Attempt[] = [
    ['GET /v1/products/%00', 'params.idOrSlug', () => ctx.api.get('/v1/products/%00')],
    ['?q=%00', 'query.q', () => ctx.api.get('/v1/products?q=%00')],
    ['?category=%00', 'query.category', () => ctx.api.get('/v1/products?category=%00')],
    ['?q with a C1 control (U+0085)', 'query.q', () => ctx.api.get('/v1/products?q=a%C2%85b')],
    ['register name with NUL', 'body.name', () => post('/v1/auth/register', { email: `n-${randomUUID()}@example.com`, password: 'a-long-password-1', name: 'Ann\u0000' })],
    ['register name with an unpaired surrogate', 'body.name', () => ctx.api.call('POST', '/v1/auth/register', undefined, {
      raw: `{"email":"s-${randomUUID()}@example.com","password":"a-long-password-1","name":"Ann\\ud800"}`,
    })],
    ['register name with a newline', 'body.name', () => post('/v1/auth/register', { email: `l-${randomUUID()}@example.com`, password: 'a-long-password-1', name: 'Ann\nAdmin' })],
    ['register password with NUL', 'body.password', () => post('/v1/auth/register', { email: `p-${randomUUID()}@example.com`, password: 'a-long-\u0000password', name: 'Ann' })],
    ['address line1 with NUL', 'body.shippingAddress.line1', () => post('/v1/checkout', { cartId, shippingAddress: { ...ADDRESS, line1: '12 Analytical\u0000Way' }, paymentToken: 'tok_visa' }, { token: customer.token, headers: { 'idempotency-key': randomUUID() } })],
    ['address city with DEL', 'body.shippingAddress.city', () => post('/v1/checkout', { cartId, shippingAddress: { ...ADDRESS, city: 'Lon\u007fdon' }, paymentToken: 'tok_visa' }, { token: customer.token, headers: { 'idempotency-key': randomUUID() } })],
    ['admin category name with NUL', 'body.name', () => post('/v1/admin/categories', { slug: `c-${randomUUID().slice(0, 8)}`, name: 'Coats\u0000' }, { token: ctx.admin })],
    ['admin product name with NUL', 'body.name', () => post('/v1/admin/products', { name: 'Coat\u0000', categoryId, variants: [{ sku: `S-${randomUUID().slice(0, 8)}`, title: 'M', price: { amount: 100, currency: 'USD' } }] }, { token: ctx.admin })],
    ['admin product description with NUL', 'body.description', () => post('/v1/admin/products', { name: 'Coat', description: 'warm\u0000', categoryId, variants: [{ sku: `S-${randomUUID().slice(0, 8)}`, title: 'M', price: { amount: 100, currency: 'USD' } }] }, { token: ctx.admin })],
    ['admin variant title with NUL', 'body.variants.0.title', () => post('/v1/admin/products', { name: 'Coat', categoryId, variants: [{ sku: `S-${randomUUID().slice(0, 8)}`, title: 'M\u0000', price: { amount: 100, currency: 'USD' } }] }, { token: ctx.admin })],
    ['admin API key name with NUL', 'body.name', () => post('/v1/admin/api-keys', { name: 'ci\u0000' }, { token: ctx.admin })],
    ['a product cursor dated year 0000', 'query.cursor', () => ctx.api.get(`/v1/products?sort=newest&cursor=${cursor({ sort: 'newest', createdAt: '0000-01-01T00:00:00.000Z', id: randomUUID() })}`)],
    ['a product cursor dated February 30', 'query.cursor', () => ctx.api.get(`/v1/products?sort=newest&cursor=${cursor({ sort: 'newest', createdAt: '2026-02-30T00:00:00.000Z', id: randomUUID() })}`)],
    ['a product cursor whose name holds NUL', 'query.cursor', () => ctx.api.get(`/v1/products?sort=name&cursor=${cursor({ sort: 'name', name: 'a\u0000', id: randomUUID() })}`)],
    ['an order cursor whose id is 36 dashes', 'query.cursor', () => ctx.api.get(`/v1/orders?cursor=${cursor([new Date().toISOString(), '-'.repeat(36)])}`, { token: customer.token })],
    ['an order cursor dated year +275760', 'query.cursor', () => ctx.api.get(`/v1/orders?cursor=${cursor(['+275760-09-13T00:00:00.000Z', randomUUID()])}`, { token: customer.token })],
    ['an order cursor dated year -271821', 'query.cursor', () => ctx.api.get(`/v1/orders?cursor=${cursor(['-271821-04-20T00:00:00.000Z', randomUUID()])}`, { token: customer.token })],
    ['an order cursor dated year 0000', 'query.cursor', () => ctx.api.get(`/v1/orders?cursor=${cursor(['0000-01-01T00:00:00.000Z', randomUUID()])}`, { token: customer.token })],
  ];

  it.each(attempts)('when a request sends %s, then it answers 400 problem+json naming %s and writes nothing', async (_label, field, send) => {
    const before = await fingerprint();
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((res.body.errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
    expect(changedTables(before, await fingerprint())).toEqual([]);
  });

  it.each([
    ['a NUL in the Authorization header', 'GET /v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\u0000b\r\n\r\n', 400],
    ['a control character in the Idempotency-Key header', 'POST /v1/checkout HTTP/1.1\r\nHost: x\r\nIdempotency-Key: key\u0001key\r\nContent-Length: 2\r\n\r\n{}', 400],
    ['a malformed request line', 'GET /v1/products HTTP/9\r\n\r\n', 400],
    ['headers over 16 KiB', `GET /v1/products HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`, 431],
  ])('when a raw request carries %s, then the parser refuses it as problem+json', async (_label, request, status) => {
    const answer = await rawRequest(ctx.shop.url, request);
    expect(answer).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status, code: expect.any(String), detail: expect.any(String) });
  });

  it.each([
    ['an undecodable path', '/v1/carts/%zz'],
    ['an encoded lone surrogate in the path', '/v1/products/%ED%A0%80'],
    ['a path parameter over 2,048 characters', `/v1/products/${'a'.repeat(3_000)}`],
  ])('when a URL holds %s, then the router refuses it as problem+json naming params', async (_label, path) => {
    const res = await ctx.api.get(path);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors[0].field).toBe('params');
  });

  it('when a product description holds newlines and tabs, then it is accepted: multi-line fields allow them', async () => {
    const res = await post('/v1/admin/products', {
      name: 'Coat', description: 'Warm.\n\tWaterproof.\r\n', categoryId, variants: [{ sku: `S-${randomUUID().slice(0, 8)}`, title: 'M', price: { amount: 100, currency: 'USD' } }],
    }, { token: ctx.admin });
    expect(res.status).toBe(201);
    expect(res.body.description).toBe('Warm.\n\tWaterproof.\r\n');
  });

  it('when names hold emoji, right-to-left text and combining marks, then they are accepted and read back unchanged', async () => {
    const name = 'سلام 👋🏽 Zoë Ω\u200f';
    const res = await post('/v1/auth/register', { email: `u-${randomUUID()}@example.com`, password: 'a-long-password-1', name });
    expect(res.status).toBe(201);
    expect(res.body.customer.name).toBe(name);
  });
});
