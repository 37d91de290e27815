import { randomUUID } from 'node:crypto';

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

/** A thin HTTP client over fetch, for black-box tests against a listening shop. */
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
    get: <T = any>(path: string, options?: CallOptions) => call<T>('GET', path, undefined, options), // eslint-disable-line @typescript-eslint/no-explicit-any
    post: <T = any>(path: string, body?: unknown, options?: CallOptions) => call<T>('POST', path, body, options), // eslint-disable-line @typescript-eslint/no-explicit-any
    put: <T = any>(path: string, body?: unknown, options?: CallOptions) => call<T>('PUT', path, body, options), // eslint-disable-line @typescript-eslint/no-explicit-any
    patch: <T = any>(path: string, body?: unknown, options?: CallOptions) => call<T>('PATCH', path, body, options), // eslint-disable-line @typescript-eslint/no-explicit-any
    delete: <T = any>(path: string, options?: CallOptions) => call<T>('DELETE', path, undefined, options), // eslint-disable-line @typescript-eslint/no-explicit-any
    call,
  };
}

export type Api = ReturnType<typeof createApi>;

export const ADDRESS = { name: 'Ada Lovelace', line1: '12 Analytical Way', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

/** Shop-level steps the end-to-end tests compose. Each builds its own data. */
export function createShopper(api: Api) {
  return {
    async adminToken(admin: { email: string; password: string }): Promise<string> {
      const res = await api.post('/v1/auth/login', admin);
      if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.accessToken;
    },
    async guestToken(): Promise<string> {
      const res = await api.post('/v1/auth/guest');
      if (res.status !== 201) throw new Error(`guest failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.accessToken;
    },
    async register(name = 'Test Customer'): Promise<{ token: string; id: string; email: string }> {
      const email = `c-${randomUUID()}@example.com`;
      const res = await api.post('/v1/auth/register', { email, password: 'a-long-password-1', name });
      if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.accessToken, id: res.body.customer.id, email };
    },
    /** a product with one variant and `stock` units, created through the admin API */
    async createProduct(adminToken: string, { stock, price = 1999 }: { stock: number; price?: number }) {
      const suffix = randomUUID().slice(0, 8);
      const category = await api.post('/v1/admin/categories', { slug: `cat-${suffix}`, name: `Category ${suffix}` }, { token: adminToken });
      if (category.status !== 201) throw new Error(`category failed: ${category.status} ${JSON.stringify(category.body)}`);
      const product = await api.post('/v1/admin/products', {
        name: `Test Jacket ${suffix}`,
        description: 'A warm waterproof jacket for tests',
        categoryId: category.body.id,
        variants: [{ sku: `SKU-${suffix}`, title: 'Default', price: { amount: price, currency: 'USD' } }],
      }, { token: adminToken });
      if (product.status !== 201) throw new Error(`product failed: ${product.status} ${JSON.stringify(product.body)}`);
      const variantId: string = product.body.variants[0].id;
      const stockRes = await api.put(`/v1/admin/inventory/${variantId}`, { onHand: stock }, { token: adminToken });
      if (stockRes.status !== 200) throw new Error(`stock failed: ${stockRes.status} ${JSON.stringify(stockRes.body)}`);
      return { productId: product.body.id as string, slug: product.body.slug as string, variantId };
    },
    async cartWith(token: string, variantId: string, quantity = 1): Promise<string> {
      const cart = await api.post('/v1/carts', undefined, { token });
      if (cart.status !== 201) throw new Error(`cart failed: ${cart.status} ${JSON.stringify(cart.body)}`);
      const item = await api.post(`/v1/carts/${cart.body.id}/items`, { variantId, quantity }, { token });
      if (item.status !== 201) throw new Error(`add item failed: ${item.status} ${JSON.stringify(item.body)}`);
      return cart.body.id;
    },
    checkout(token: string, cartId: string, paymentToken = 'tok_visa', idempotencyKey: string = randomUUID()) {
      return api.post('/v1/checkout', { cartId, email: 'shopper@example.com', shippingAddress: ADDRESS, paymentToken }, { token, headers: { 'idempotency-key': idempotencyKey } });
    },
    async stock(adminToken: string, variantId: string): Promise<{ onHand: number; reserved: number; available: number }> {
      const res = await api.get(`/v1/admin/inventory/${variantId}`, { token: adminToken });
      if (res.status !== 200) throw new Error(`stock read failed: ${res.status}`);
      return res.body;
    },
    /** polls until the order leaves `pending` (or the deadline passes) */
    async settledOrder(token: string, orderId: string, timeoutMs = 20_000): Promise<{ status: string; [k: string]: unknown }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await api.get(`/v1/orders/${orderId}`, { token });
        if (res.status !== 200) throw new Error(`order read failed: ${res.status} ${JSON.stringify(res.body)}`);
        if (res.body.status !== 'pending' || Date.now() > deadline) return res.body;
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
