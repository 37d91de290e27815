import { randomUUID } from 'node:crypto';
import type { components, paths } from '../../src/client/api-types.js';
import { createFloodgateClient } from '../../src/client/create-floodgate-client.js';

/** what GET /v1/orders/{id} answers (the order with its status history) */
type OrderDetail = paths['/v1/orders/{id}']['get']['responses'][200]['content']['application/json'];
type StockLevel = components['schemas']['StockLevel'];

export interface ApiResponse<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  /** a raw string body (malformed JSON tests); otherwise `body` is JSON-encoded */
  raw?: string;
}

/**
 * A thin, untyped HTTP client over fetch, for black-box tests against a listening shop. It stays beside the
 * typed SDK on purpose: the security, bad-input and limit tests send what the SDK's types cannot express
 * (malformed JSON, wrong content types, unknown fields, forged headers, paths outside the document) and
 * read every answer as it came, with no retry and no header added.
 */
export function createApi(baseUrl: string) {
  const call = async <T = any>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<ApiResponse<T>> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined = options.raw;
    if (payload === undefined && body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
  return {
    /** the shop's address, for the typed SDK client the shopper steps use */
    baseUrl,
    get: <T = any>(path: string, options?: CallOptions) => call<T>('GET', path, undefined, options), // eslint-disable-line @typescript-eslint/no-explicit-any
    post: <T = any>(path: string, body?: unknown, options?: CallOptions) => call<T>('POST', path, body, options), // eslint-disable-line @typescript-eslint/no-explicit-any
    put: <T = any>(path: string, body?: unknown, options?: CallOptions) => call<T>('PUT', path, body, options), // eslint-disable-line @typescript-eslint/no-explicit-any
    patch: <T = any>(path: string, body?: unknown, options?: CallOptions) => call<T>('PATCH', path, body, options), // eslint-disable-line @typescript-eslint/no-explicit-any
    delete: <T = any>(path: string, options?: CallOptions) => call<T>('DELETE', path, undefined, options), // eslint-disable-line @typescript-eslint/no-explicit-any
    call,
  };
}

export type Api = ReturnType<typeof createApi> & {
  /** how the shopper steps' SDK client reaches the shop when it is not one address (a router over several processes) */
  fetch?: (request: Request) => Promise<Response>;
};

export const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const failed = (what: string, answer: { response: Response; error?: unknown }) =>
  new Error(`${what} failed: ${answer.response.status} ${JSON.stringify(answer.error)}`);

/**
 * Shop-level steps the end-to-end tests compose. Each builds its own data. Every step is a typed operation of
 * the SDK (src/client), so a renamed path, parameter or field in the API document breaks the type check of
 * these helpers, and with them of every test that uses them.
 *
 * The SDK client here is set so that it changes nothing the tests assert: `retries: 0` (a 429 or 503 reaches
 * the test as it came, never waited out and retried behind its back; only checkoutToFinalAnswer, named for it,
 * waits them out), and checkout always sends the
 * Idempotency-Key the caller chose (or a fresh one), so the client never picks one itself.
 */
export function createShopper(api: Api) {
  const client = createFloodgateClient({ baseUrl: api.baseUrl, retries: 0, ...(api.fetch ? { fetch: api.fetch } : {}) });
  // for checkoutToFinalAnswer only: the SDK's own retries of 429/503 (Retry-After, capped so a race stays a race)
  const patient = createFloodgateClient({ baseUrl: api.baseUrl, retries: 30, maxRetryAfterMs: 1_000, ...(api.fetch ? { fetch: api.fetch } : {}) });
  const postCheckout = async (sdk: typeof client, token: string, cartId: string, paymentToken: string, idempotencyKey: string): Promise<ApiResponse> => {
    const answer = await sdk.POST('/v1/checkout', {
      headers: bearer(token),
      params: { header: { 'idempotency-key': idempotencyKey } },
      body: { cartId, email: 'shopper@example.com', shippingAddress: ADDRESS, paymentToken },
    });
    return { status: answer.response.status, body: answer.data ?? answer.error, headers: answer.response.headers };
  };
  return {
    async adminToken(admin: { email: string; password: string }): Promise<string> {
      const answer = await client.POST('/v1/auth/login', { body: admin });
      if (answer.response.status !== 200 || !answer.data) throw failed('admin login', answer);
      return answer.data.accessToken;
    },
    async guestToken(): Promise<string> {
      const answer = await client.POST('/v1/auth/guest');
      if (answer.response.status !== 201 || !answer.data) throw failed('guest', answer);
      return answer.data.accessToken;
    },
    async register(name = 'Test Customer'): Promise<{ token: string; id: string; email: string }> {
      const email = `c-${randomUUID()}@example.com`;
      const answer = await client.POST('/v1/auth/register', { body: { email, password: 'a-long-password-1', name } });
      if (answer.response.status !== 201 || !answer.data) throw failed('register', answer);
      return { token: answer.data.accessToken, id: answer.data.customer.id, email };
    },
    /** a product with one variant and `stock` units, created through the admin API */
    async createProduct(adminToken: string, { stock, price = 1999 }: { stock: number; price?: number }) {
      const suffix = randomUUID().slice(0, 8);
      const headers = bearer(adminToken);
      const category = await client.POST('/v1/admin/categories', { headers, body: { slug: `cat-${suffix}`, name: `Category ${suffix}` } });
      if (category.response.status !== 201 || !category.data) throw failed('category', category);
      const product = await client.POST('/v1/admin/products', {
        headers,
        body: {
          name: `Test Jacket ${suffix}`,
          description: 'A warm waterproof jacket for tests',
          categoryId: category.data.id,
          variants: [{ sku: `SKU-${suffix}`, title: 'Default', price: { amount: price, currency: 'USD' } }],
        },
      });
      const variant = product.data?.variants[0];
      if (product.response.status !== 201 || !product.data || !variant) throw failed('product', product);
      const stocked = await client.PUT('/v1/admin/inventory/{variantId}', { headers, params: { path: { variantId: variant.id } }, body: { onHand: stock } });
      if (stocked.response.status !== 200) throw failed('stock', stocked);
      return { productId: product.data.id, slug: product.data.slug, variantId: variant.id };
    },
    async cartWith(token: string, variantId: string, quantity = 1): Promise<string> {
      const cart = await client.POST('/v1/carts', { headers: bearer(token), body: {} });
      if (cart.response.status !== 201 || !cart.data) throw failed('cart', cart);
      const item = await client.POST('/v1/carts/{id}/items', { headers: bearer(token), params: { path: { id: cart.data.id } }, body: { variantId, quantity } });
      if (item.response.status !== 201) throw failed('add item', item);
      return cart.data.id;
    },
    /** the answer as it came (202, or the problem of a refusal), in the shape of `createApi`'s answers */
    async checkout(token: string, cartId: string, paymentToken = 'tok_visa', idempotencyKey: string = randomUUID()): Promise<ApiResponse> {
      return postCheckout(client, token, cartId, paymentToken, idempotencyKey);
    },
    /**
     * Checkout as a careful client does it, with the same Idempotency-Key until a final answer or the deadline:
     * the SDK waits out 503/429 itself (Retry-After), and this also sends again after a 502/504 from the edge or
     * 409 IDEMPOTENCY_KEY_IN_PROGRESS / CHECKOUT_CART_BUSY. For races whose subject is the final answers (no
     * oversell, one order per key) on a machine busy enough for the shop to shed or time out now and then;
     * `retried` says which of those came on the way, so a test can still see them.
     */
    async checkoutToFinalAnswer(token: string, cartId: string, { paymentToken = 'tok_visa', idempotencyKey = randomUUID(), deadlineMs = 60_000 } = {}): Promise<ApiResponse & { retried: string[] }> {
      const deadline = Date.now() + deadlineMs;
      const retried: string[] = [];
      for (;;) {
        const answer = await postCheckout(patient, token, cartId, paymentToken, idempotencyKey);
        const code = (answer.body as { code?: string } | undefined)?.code;
        const retry = answer.status === 502 || answer.status === 504 || (answer.status === 409 && (code === 'IDEMPOTENCY_KEY_IN_PROGRESS' || code === 'CHECKOUT_CART_BUSY'));
        if (!retry || Date.now() > deadline) return { ...answer, retried };
        retried.push(`${answer.status} ${code ?? ''}`.trim());
        // jittered, so the retried ones do not come back together
        await new Promise((r) => setTimeout(r, 200 * (1 + Math.random())));
      }
    },
    async stock(adminToken: string, variantId: string): Promise<StockLevel> {
      const answer = await client.GET('/v1/admin/inventory/{variantId}', { headers: bearer(adminToken), params: { path: { variantId } } });
      if (answer.response.status !== 200 || !answer.data) throw new Error(`stock read failed: ${answer.response.status}`);
      return answer.data;
    },
    /** polls until the order leaves `pending` (or the deadline passes) */
    async settledOrder(token: string, orderId: string, timeoutMs = 20_000): Promise<OrderDetail> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const answer = await client.GET('/v1/orders/{id}', { headers: bearer(token), params: { path: { id: orderId } } });
        if (answer.response.status !== 200 || !answer.data) throw failed('order read', answer);
        if (answer.data.status !== 'pending' || Date.now() > deadline) return answer.data;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
