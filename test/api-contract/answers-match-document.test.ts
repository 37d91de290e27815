import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS } from '../support/api.js';
import { useTestShop } from '../support/shop.js';
import { documentAnswers, type Answer, type OpenApiDocument } from './document-answers.js';

/** One request: `op` is the operation as the document names it (`POST /v1/carts/{id}/items`). */
interface Call {
  url: string;
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** sent as is, with `contentType` (default application/json) */
  raw?: string;
  contentType?: string;
}

interface Step {
  op: string;
  /** built when the step runs, so it can use what earlier steps made */
  valid: () => Promise<Call> | Call;
  /** refusals of the operation's own rules, beside the generic ones every operation gets */
  invalid?: () => Promise<Call[]> | Call[];
}

const PASSWORD = 'a-long-password-1';
const uuid = () => randomUUID();

/**
 * The document checked against what the server really answers: every operation gets a valid request and
 * invalid ones (its own refusals, plus what any operation may be refused for: no credentials, a path
 * parameter over the limit, a body that is not JSON or not JSON at all, a field it does not know, headers
 * over 16 KiB). Every answer's status must be declared for that operation, its content type declared for
 * that status and its body valid against the declared schema — a refusal's `code` among the codes listed.
 */
/** a fetch answer's headers as a plain object (lower-case names) */
function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => (out[name] = value));
  return out;
}

describe('every answer of every operation is what the API document declares', () => {
  const ctx = useTestShop('pglite');
  let doc: OpenApiDocument;
  let steps: Step[];

  async function send(method: string, call: Call): Promise<Answer> {
    const headers: Record<string, string> = { ...call.headers };
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    const payload = call.raw ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
    if (payload !== undefined) headers['content-type'] = call.contentType ?? 'application/json';
    const res = await fetch(`${ctx.shop.url}${call.url}`, { method, headers, ...(payload !== undefined ? { body: payload } : {}), redirect: 'manual' });
    const text = await res.text();
    let body: unknown = text === '' ? undefined : text;
    try { body = text ? JSON.parse(text) : undefined; } catch { /* kept as text: the check will say it is not the declared JSON */ }
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body, headers: headersOf(res.headers) };
  }

  beforeAll(async () => {
    const { api, shopper, admin } = ctx;
    doc = (await api.get<OpenApiDocument>('/v1/openapi.json')).body;
    const customer = await shopper.register();
    const forRefresh = await api.post('/v1/auth/register', { email: `r-${uuid()}@example.com`, password: PASSWORD, name: 'Refresh' });
    const forLogout = await shopper.register();
    const forDeactivation = await shopper.register();
    const product = await shopper.createProduct(admin, { stock: 100 });
    const forArchive = await shopper.createProduct(admin, { stock: 1 });
    const forSale = await shopper.createProduct(admin, { stock: 20 });
    const cartId = await shopper.cartWith(customer.token, product.variantId, 1);
    const itemId = (await api.get(`/v1/carts/${cartId}`, { token: customer.token })).body.items[0].id as string;
    const paidOrders: string[] = [];
    for (let i = 0; i < 3; i++) {
      const placed = await shopper.checkout(customer.token, await shopper.cartWith(customer.token, product.variantId, 1));
      const order = await shopper.settledOrder(customer.token, placed.body.orderId);
      if (order.status !== 'paid') throw new Error(`order not paid: ${JSON.stringify(order)}`);
      paidOrders.push(placed.body.orderId);
    }
    const saleBody = (variantId: string, quantity: number) => ({
      variantId, price: { amount: 999, currency: 'USD' }, quantity, startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(), perCustomerLimit: 2, admissionRatePerSecond: 50,
    });
    const sale = (await api.post('/v1/admin/flash-sales', saleBody(forSale.variantId, 5), { token: admin })).body.id as string;
    const categoryId = (await api.get('/v1/categories')).body.items[0].id as string;
    const switchName = (await api.get('/v1/admin/degradation', { token: admin })).body.items[0].name as string;
    const state: { ticket?: string; admission?: string; apiKeyId?: string; adminSale?: string; checkoutCart?: string } = {};
    const unknownId = uuid();

    steps = [
      // customers
      { op: 'POST /v1/auth/register', valid: () => ({ url: '/v1/auth/register', body: { email: `w-${uuid()}@example.com`, password: PASSWORD, name: 'Walker' } }),
        invalid: () => [{ url: '/v1/auth/register', body: { email: customer.email, password: PASSWORD, name: 'Again' } }, { url: '/v1/auth/register', body: { email: 'not-an-email', password: 'short', name: '' } }] },
      { op: 'POST /v1/auth/login', valid: () => ({ url: '/v1/auth/login', body: { email: customer.email, password: PASSWORD } }),
        invalid: () => [{ url: '/v1/auth/login', body: { email: customer.email, password: 'the-wrong-password' } }] },
      { op: 'POST /v1/auth/refresh', valid: () => ({ url: '/v1/auth/refresh', body: { refreshToken: forRefresh.body.refreshToken } }),
        invalid: () => [{ url: '/v1/auth/refresh', body: { refreshToken: 'not-a-refresh-token' } }] },
      { op: 'POST /v1/auth/logout', valid: () => ({ url: '/v1/auth/logout', token: forLogout.token, body: {} }) },
      { op: 'POST /v1/auth/guest', valid: () => ({ url: '/v1/auth/guest' }) },
      { op: 'GET /v1/me', valid: () => ({ url: '/v1/me', token: customer.token }), invalid: () => [{ url: '/v1/me', token: 'not.a.token' }] },
      { op: 'GET /.well-known/jwks.json', valid: () => ({ url: '/.well-known/jwks.json' }) },
      { op: 'POST /v1/admin/api-keys', valid: () => ({ url: '/v1/admin/api-keys', token: admin, body: { name: 'walk' } }),
        invalid: () => [{ url: '/v1/admin/api-keys', token: customer.token, body: { name: 'not an admin' } }, { url: '/v1/admin/api-keys', token: admin, body: { name: 'past', expiresAt: '2001-01-01T00:00:00Z' } }] },
      { op: 'GET /v1/admin/api-keys', valid: () => ({ url: '/v1/admin/api-keys?limit=5', token: admin }), invalid: () => [{ url: '/v1/admin/api-keys?limit=0', token: admin }] },
      { op: 'DELETE /v1/admin/api-keys/{id}', valid: async () => {
        state.apiKeyId = (await api.post('/v1/admin/api-keys', { name: 'to revoke' }, { token: admin })).body.id;
        return { url: `/v1/admin/api-keys/${state.apiKeyId}`, token: admin };
      }, invalid: () => [{ url: `/v1/admin/api-keys/${unknownId}`, token: admin }, { url: '/v1/admin/api-keys/not-a-uuid', token: admin }] },
      { op: 'POST /v1/admin/customers/{id}/deactivate', valid: () => ({ url: `/v1/admin/customers/${forDeactivation.id}/deactivate`, token: admin }),
        invalid: () => [{ url: `/v1/admin/customers/${unknownId}/deactivate`, token: admin }] },
      // catalog
      { op: 'GET /v1/products', valid: () => ({ url: '/v1/products?limit=5' }),
        invalid: () => [{ url: '/v1/products?limit=0' }, { url: '/v1/products?cursor=not-a-cursor' }, { url: '/v1/products?sort=relevance' }] },
      { op: 'GET /v1/products/{idOrSlug}', valid: () => ({ url: `/v1/products/${product.slug}` }), invalid: () => [{ url: '/v1/products/no-such-product' }] },
      { op: 'GET /v1/categories', valid: () => ({ url: '/v1/categories' }), invalid: () => [{ url: '/v1/categories?unknown=1' }] },
      { op: 'POST /v1/admin/categories', valid: () => ({ url: '/v1/admin/categories', token: admin, body: { slug: `walk-${uuid().slice(0, 8)}`, name: 'Walk' } }),
        invalid: () => [{ url: '/v1/admin/categories', token: admin, body: { slug: 'Not A Slug!', name: '' } }] },
      { op: 'POST /v1/admin/products', valid: () => ({ url: '/v1/admin/products', token: admin, body: {
        name: 'Walk mug', description: 'A mug', categoryId, variants: [{ sku: `WALK-${uuid().slice(0, 8)}`, title: 'Default', price: { amount: 1200, currency: 'USD' } }],
      } }), invalid: () => [{ url: '/v1/admin/products', token: admin, body: { name: 'Orphan', description: 'x', categoryId: unknownId, variants: [{ sku: `O-${uuid().slice(0, 8)}`, title: 'D', price: { amount: 1, currency: 'USD' } }] } }] },
      { op: 'PATCH /v1/admin/products/{id}', valid: () => ({ url: `/v1/admin/products/${product.productId}`, token: admin, body: { name: 'Walked jacket' } }),
        invalid: () => [{ url: `/v1/admin/products/${unknownId}`, token: admin, body: { name: 'Nobody' } }] },
      { op: 'POST /v1/admin/products/{id}/archive', valid: () => ({ url: `/v1/admin/products/${forArchive.productId}/archive`, token: admin }),
        invalid: () => [{ url: `/v1/admin/products/${unknownId}/archive`, token: admin }] },
      // carts
      { op: 'POST /v1/carts', valid: () => ({ url: '/v1/carts', token: customer.token }), invalid: () => [{ url: '/v1/carts', token: customer.token, body: { currency: 'dollars' } }] },
      { op: 'GET /v1/carts/{id}', valid: () => ({ url: `/v1/carts/${cartId}`, token: customer.token }), invalid: () => [{ url: `/v1/carts/${unknownId}`, token: customer.token }] },
      { op: 'POST /v1/carts/{id}/items', valid: () => ({ url: `/v1/carts/${cartId}/items`, token: customer.token, body: { variantId: product.variantId, quantity: 1 } }),
        invalid: () => [{ url: `/v1/carts/${cartId}/items`, token: customer.token, body: { variantId: unknownId, quantity: 1 } }, { url: `/v1/carts/${cartId}/items`, token: customer.token, body: { variantId: product.variantId, quantity: 0 } }] },
      { op: 'PATCH /v1/carts/{id}/items/{itemId}', valid: () => ({ url: `/v1/carts/${cartId}/items/${itemId}`, token: customer.token, body: { quantity: 2 } }),
        invalid: () => [{ url: `/v1/carts/${cartId}/items/${unknownId}`, token: customer.token, body: { quantity: 2 } }] },
      { op: 'DELETE /v1/carts/{id}/items/{itemId}', valid: () => ({ url: `/v1/carts/${cartId}/items/${itemId}`, token: customer.token }),
        invalid: () => [{ url: `/v1/carts/${cartId}/items/${unknownId}`, token: customer.token }] },
      // inventory
      { op: 'GET /v1/admin/inventory/{variantId}', valid: () => ({ url: `/v1/admin/inventory/${product.variantId}`, token: admin }),
        invalid: () => [{ url: `/v1/admin/inventory/${unknownId}`, token: admin }] },
      { op: 'PUT /v1/admin/inventory/{variantId}', valid: () => ({ url: `/v1/admin/inventory/${product.variantId}`, token: admin, body: { onHand: 100 } }),
        invalid: () => [{ url: `/v1/admin/inventory/${product.variantId}`, token: admin, body: { onHand: -1 } }] },
      // orders
      { op: 'POST /v1/checkout', valid: async () => {
        state.checkoutCart = await shopper.cartWith(customer.token, product.variantId, 1);
        return { url: '/v1/checkout', token: customer.token, headers: { 'idempotency-key': uuid() }, body: { cartId: state.checkoutCart, shippingAddress: ADDRESS, paymentToken: 'tok_visa' } };
      }, invalid: () => [
        { url: '/v1/checkout', token: customer.token, body: { cartId, shippingAddress: ADDRESS, paymentToken: 'tok_visa' } },
        { url: '/v1/checkout', token: customer.token, headers: { 'idempotency-key': uuid() }, body: { cartId: unknownId, shippingAddress: ADDRESS, paymentToken: 'tok_visa' } },
      ] },
      { op: 'GET /v1/orders/{id}', valid: () => ({ url: `/v1/orders/${paidOrders[0]}`, token: customer.token }), invalid: () => [{ url: `/v1/orders/${unknownId}`, token: customer.token }] },
      { op: 'GET /v1/orders', valid: () => ({ url: '/v1/orders?limit=2', token: customer.token }), invalid: () => [{ url: '/v1/orders?cursor=not-a-cursor', token: customer.token }] },
      { op: 'POST /v1/admin/orders/{id}/fulfill', valid: () => ({ url: `/v1/admin/orders/${paidOrders[0]}/fulfill`, token: admin }),
        invalid: () => [{ url: `/v1/admin/orders/${unknownId}/fulfill`, token: admin }] },
      { op: 'POST /v1/admin/orders/{id}/refund', valid: () => ({ url: `/v1/admin/orders/${paidOrders[1]}/refund`, token: admin }),
        invalid: () => [{ url: `/v1/admin/orders/${unknownId}/refund`, token: admin }] },
      { op: 'POST /v1/admin/orders/{id}/cancel', valid: () => ({ url: `/v1/admin/orders/${paidOrders[2]}/cancel`, token: admin, body: { reason: 'walk' } }),
        // a refunded order cannot be cancelled: an illegal transition
        invalid: () => [{ url: `/v1/admin/orders/${paidOrders[1]}/cancel`, token: admin }] },
      // flash sales
      { op: 'GET /v1/flash-sales', valid: () => ({ url: '/v1/flash-sales' }) },
      { op: 'GET /v1/flash-sales/{id}', valid: () => ({ url: `/v1/flash-sales/${sale}` }), invalid: () => [{ url: `/v1/flash-sales/${unknownId}` }] },
      { op: 'POST /v1/flash-sales/{id}/queue', valid: () => ({ url: `/v1/flash-sales/${sale}/queue`, token: customer.token }),
        invalid: () => [{ url: `/v1/flash-sales/${unknownId}/queue`, token: customer.token }] },
      { op: 'GET /v1/flash-sales/{id}/queue/{ticket}', valid: async () => {
        state.ticket = (await api.post(`/v1/flash-sales/${sale}/queue`, undefined, { token: customer.token })).body.ticket;
        return { url: `/v1/flash-sales/${sale}/queue/${state.ticket}`, token: customer.token };
      }, invalid: () => [{ url: `/v1/flash-sales/${sale}/queue/not-a-ticket`, token: customer.token }] },
      { op: 'POST /v1/flash-sales/{id}/reservations', valid: async () => {
        await expect.poll(async () => {
          const polled = await api.get(`/v1/flash-sales/${sale}/queue/${state.ticket}`, { token: customer.token });
          state.admission = polled.body.admissionToken;
          return polled.body.state;
        }, { timeout: 10_000, interval: 100 }).toBe('admitted');
        return { url: `/v1/flash-sales/${sale}/reservations`, token: customer.token, headers: { 'admission-token': state.admission!, 'idempotency-key': uuid() }, body: { quantity: 1 } };
      }, invalid: () => [
        { url: `/v1/flash-sales/${sale}/reservations`, token: customer.token, headers: { 'admission-token': 'forged', 'idempotency-key': uuid() }, body: { quantity: 1 } },
        { url: `/v1/flash-sales/${sale}/reservations`, token: customer.token, headers: { 'admission-token': 'forged' }, body: { quantity: 1 } },
      ] },
      { op: 'POST /v1/admin/flash-sales', valid: async () => {
        const variant = await shopper.createProduct(admin, { stock: 10 });
        return { url: '/v1/admin/flash-sales', token: admin, body: saleBody(variant.variantId, 3) };
      }, invalid: () => [{ url: '/v1/admin/flash-sales', token: admin, body: saleBody(product.variantId, 1_000_000) }, { url: '/v1/admin/flash-sales', token: admin, body: saleBody(unknownId, 1) }] },
      { op: 'GET /v1/admin/flash-sales', valid: () => ({ url: '/v1/admin/flash-sales?limit=2', token: admin }), invalid: () => [{ url: '/v1/admin/flash-sales?cursor=not-a-cursor', token: admin }] },
      { op: 'GET /v1/admin/flash-sales/{id}', valid: () => ({ url: `/v1/admin/flash-sales/${sale}`, token: admin }), invalid: () => [{ url: `/v1/admin/flash-sales/${unknownId}`, token: admin }] },
      { op: 'POST /v1/admin/flash-sales/{id}/pause', valid: () => ({ url: `/v1/admin/flash-sales/${sale}/pause`, token: admin }), invalid: () => [{ url: `/v1/admin/flash-sales/${unknownId}/pause`, token: admin }] },
      { op: 'POST /v1/admin/flash-sales/{id}/resume', valid: () => ({ url: `/v1/admin/flash-sales/${sale}/resume`, token: admin }), invalid: () => [{ url: `/v1/admin/flash-sales/${unknownId}/resume`, token: admin }] },
      { op: 'POST /v1/admin/flash-sales/{id}/end', valid: () => ({ url: `/v1/admin/flash-sales/${sale}/end`, token: admin }), invalid: () => [{ url: `/v1/admin/flash-sales/${unknownId}/end`, token: admin }] },
      // operations
      { op: 'GET /v1/admin/audit', valid: () => ({ url: '/v1/admin/audit?limit=5', token: admin }), invalid: () => [{ url: '/v1/admin/audit?action=no-such-action', token: admin }] },
      { op: 'GET /v1/admin/degradation', valid: () => ({ url: '/v1/admin/degradation', token: admin }) },
      { op: 'PUT /v1/admin/degradation/{switch}', valid: () => ({ url: `/v1/admin/degradation/${switchName}`, token: admin, body: { mode: 'auto' } }),
        invalid: () => [{ url: '/v1/admin/degradation/no-such-switch', token: admin, body: { mode: 'auto' } }, { url: `/v1/admin/degradation/${switchName}`, token: admin, body: { mode: 'sometimes' } }] },
    ];
  });

  /** what any operation may be refused for, built from its valid request and what the document says of it */
  function genericInvalid(method: string, path: string, valid: Call): Call[] {
    const op = doc.paths[path]![method.toLowerCase()]!;
    const calls: Call[] = [{ ...valid, headers: { ...valid.headers, 'x-padding': 'p'.repeat(20_000) } }];
    const needsCredentials = (op.security ?? []).some((alternative) => Object.keys(alternative as object).length > 0) && !(op.security ?? []).some((alternative) => Object.keys(alternative as object).length === 0);
    if (needsCredentials) calls.push({ ...valid, token: undefined });
    const params = op.parameters?.filter((p) => p.in === 'path') ?? [];
    if (params.length) {
      const segments = valid.url.split('?')[0]!.split('/');
      const at = path.split('/').findIndex((s) => s.startsWith('{'));
      segments[at] = 'x'.repeat(3_000);
      calls.push({ ...valid, url: segments.join('/') });
    }
    if (method !== 'GET') {
      calls.push({ ...valid, body: undefined, raw: '{"unterminated":' }, { ...valid, body: undefined, raw: 'plain words', contentType: 'text/plain' });
      if (op.requestBody) calls.push({ ...valid, raw: undefined, body: { fieldNobodyKnows: true } });
    }
    return calls;
  }

  it('when every operation gets a valid request and invalid ones, then each answer is declared for it, with the declared type and schema', async () => {
    const { problemsOf, operations, headersChecked } = documentAnswers(doc);
    const walked = new Set(steps.map((s) => s.op));
    expect(operations.map((o) => `${o.method} ${o.path}`).filter((op) => !walked.has(op)), 'operations the walk does not cover').toEqual([]);
    expect(operations.length).toBe(steps.length);

    const problems: string[] = [];
    const seen: string[] = [];
    for (const step of steps) {
      const [method, path] = step.op.split(' ') as [string, string];
      const valid = await step.valid();
      for (const call of [...genericInvalid(method, path, valid), ...((await step.invalid?.()) ?? [])]) {
        const answer = await send(method, call);
        if (answer.status < 400 || answer.status >= 500) problems.push(`${step.op}: an invalid request answered ${answer.status} (${call.url.slice(0, 80)})`);
        problems.push(...problemsOf(method, path, answer));
        seen.push(`${answer.status} ${(answer.body as { code?: string } | undefined)?.code ?? ''}`);
      }
      const answer = await send(method, valid);
      if (answer.status >= 300) problems.push(`${step.op}: the valid request answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
      problems.push(...problemsOf(method, path, answer));
    }
    const codes = new Set(seen.map((s) => s.split(' ')[1]).filter(Boolean));
    console.log(`[walk] ${steps.length} operations, ${seen.length + steps.length} answers checked (${headersChecked()} declared header values), ${codes.size} refusal codes seen: ${[...codes].sort().join(', ')}`);
    expect(problems).toEqual([]);
    // the RateLimit, Retry-After, ETag, Location … headers the document promises were really looked at
    expect(headersChecked()).toBeGreaterThan(0);
  }, 180_000);

  it('when a catalog answer is asked again with its ETag, then the 304 is declared too', async () => {
    const first = await fetch(`${ctx.shop.url}/v1/categories`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await send('GET', { url: '/v1/categories', headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(documentAnswers(doc).problemsOf('GET', '/v1/categories', again)).toEqual([]);
  });
});
