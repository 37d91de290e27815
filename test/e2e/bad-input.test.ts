import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, createShopper, type ApiResponse } from '../support/api.js';
import { serviceAvailable } from '../support/services.js';
import { startTestShop, type TestShop } from '../support/shop.js';

const postgres = await serviceAvailable('postgres');

interface Operation { method: string; path: string; hasBody: boolean }

/** Routes this walker must not call with a valid-looking request because calling them is a write by design. */
const WRITES_WITHOUT_INPUT = new Set(['POST /v1/auth/guest', 'POST /v1/carts']);

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const ALG_NONE = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: randomUUID(), role: 'admin', typ: 'access', iss: 'floodgate', aud: 'floodgate-api', exp: 9999999999 })}.`;

async function foreignToken(): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  return new SignJWT({ role: 'admin', typ: 'access' }).setProtectedHeader({ alg: 'ES256', kid: 'attacker' })
    .setSubject(randomUUID()).setIssuer('floodgate').setAudience('floodgate-api').setExpirationTime('1h').sign(privateKey);
}

/** Row counts of every table of every service schema: the walk must leave them unchanged. */
async function tableCounts(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ schemaname: string; relname: string }>(
      `select schemaname, relname from pg_stat_user_tables where schemaname not in ('public') order by 1, 2`);
    const counts: Record<string, number> = {};
    for (const r of rows) {
      const { rows: [c] } = await client.query(`select count(*)::int as n from "${r.schemaname}"."${r.relname}"`);
      counts[`${r.schemaname}.${r.relname}`] = c.n;
    }
    return counts;
  } finally {
    await client.end();
  }
}

function fill(path: string, value: string) {
  return path.replace(/\{[^}]+\}/g, value);
}

describe.skipIf(!postgres)('bad input on every route (PostgreSQL, so the test can count rows)', () => {
  let shop: TestShop;
  let api: ReturnType<typeof createApi>;
  let operations: Operation[];
  let tokens: Record<string, string | undefined>;
  let databaseUrl: string;

  beforeAll(async () => {
    const { createPostgresTestDatabaseUrl } = await import('../support/databases.js');
    const fresh = await createPostgresTestDatabaseUrl();
    databaseUrl = fresh.url;
    shop = await startTestShop('postgres', {}, { databaseUrl });
    const dispose = shop.dispose;
    shop.dispose = async () => { await dispose(); await fresh.drop(); };
    api = createApi(shop.url);
    const shopper = createShopper(api);
    const admin = await shopper.adminToken(shop.admin);
    // some real data, so ids exist and the counts are not all zero
    const product = await shopper.createProduct(admin, { stock: 5 });
    const customer = await shopper.register();
    await shopper.cartWith(customer.token, product.variantId, 1);
    tokens = { none: undefined, customer: customer.token, admin, algNone: ALG_NONE, foreign: await foreignToken(), garbage: 'x.y.z' };

    const spec = (await api.get('/v1/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, hasBody: Boolean(op.requestBody) })));
  });
  afterAll(() => shop?.dispose());

  it('when every route gets malformed, oversized, mistyped, unknown-field, bad-id and forged-token requests, then each answers 4xx problem+json and no row changes', async () => {
    expect(operations.length).toBeGreaterThan(20);
    const before = await tableCounts(databaseUrl);
    const failures: string[] = [];
    const check = (label: string, res: ApiResponse, allowOk = false) => {
      const ok = allowOk ? res.status < 500 : res.status >= 400 && res.status < 500;
      const problem = res.status < 400 || (res.headers.get('content-type') ?? '').includes('application/problem+json');
      if (!ok || !problem) failures.push(`${label} → ${res.status} ${res.headers.get('content-type')} ${JSON.stringify(res.body).slice(0, 200)}`);
    };

    for (const op of operations) {
      const hasParams = op.path.includes('{');
      const unsafe = op.method !== 'GET';
      for (const [name, token] of Object.entries(tokens)) {
        const opts = token ? { token } : {};
        const label = `${op.method} ${op.path} [${name}]`;
        if (hasParams) {
          check(`${label} bad id`, await api.call(op.method, fill(op.path, 'not-an-id%20%27;drop'), unsafe ? {} : undefined, opts), !unsafe);
          check(`${label} huge id`, await api.call(op.method, fill(op.path, 'a'.repeat(300)), unsafe ? {} : undefined, opts), !unsafe);
          check(`${label} unknown id`, await api.call(op.method, fill(op.path, randomUUID()), unsafe && op.hasBody ? {} : undefined, opts), !unsafe);
        }
        if (!unsafe) continue;
        const path = fill(op.path, randomUUID());
        check(`${label} malformed json`, await api.call(op.method, path, undefined, { ...opts, raw: '{"a":' }));
        check(`${label} oversized`, await api.call(op.method, path, undefined, { ...opts, raw: JSON.stringify({ pad: 'x'.repeat(200_000) }) }));
        check(`${label} text/plain`, await api.call(op.method, path, undefined, { ...opts, raw: 'hello', headers: { 'content-type': 'text/plain' } }));
        if (op.hasBody) {
          for (const body of [[], 'str', 42, null, { unknownField: 1 }, { quantity: -1, email: 7, password: [], variantId: {}, cartId: Number.MAX_VALUE * 10 }]) {
            check(`${label} body ${JSON.stringify(body)}`, await api.call(op.method, path, body, { ...opts, headers: { 'idempotency-key': randomUUID() } }));
          }
        }
        if (name !== 'customer' && name !== 'admin' && !WRITES_WITHOUT_INPUT.has(`${op.method} ${op.path}`)) {
          check(`${label} empty`, await api.call(op.method, path, undefined, opts));
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await tableCounts(databaseUrl)).toEqual(before);
  }, 180_000);

  it('when a customer reads or changes another customer\'s cart or order, then 404 and nothing changes', async () => {
    const shopper = createShopper(api);
    const admin = await shopper.adminToken(shop.admin);
    const { variantId } = await shopper.createProduct(admin, { stock: 5 });
    const alice = await shopper.register('Alice');
    const mallory = await shopper.register('Mallory');
    const cartId = await shopper.cartWith(alice.token, variantId, 1);
    const itemId = (await api.get(`/v1/carts/${cartId}`, { token: alice.token })).body.items[0].id;
    const checkout = await shopper.checkout(alice.token, cartId);
    const orderId = checkout.body.orderId as string;
    const cart2 = await shopper.cartWith(alice.token, variantId, 1);
    const before = await tableCounts(databaseUrl);

    const attempts = [
      await api.get(`/v1/carts/${cart2}`, { token: mallory.token }),
      await api.post(`/v1/carts/${cart2}/items`, { variantId, quantity: 1 }, { token: mallory.token }),
      await api.patch(`/v1/carts/${cart2}/items/${itemId}`, { quantity: 3 }, { token: mallory.token }),
      await api.delete(`/v1/carts/${cart2}/items/${itemId}`, { token: mallory.token }),
      await api.get(`/v1/orders/${orderId}`, { token: mallory.token }),
      await shopper.checkout(mallory.token, cart2),
    ];
    expect(attempts.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
    expect((await api.get('/v1/orders', { token: mallory.token })).body.items).toEqual([]);
    await shopper.settledOrder(alice.token, orderId);
    const after = await tableCounts(databaseUrl);
    // alice's own order settling is the only change allowed: compare the tables mallory could touch
    for (const table of ['carts.carts', 'carts.items', 'orders.orders', 'orders.idempotency_keys']) expect(after[table]).toBe(before[table]);
  });
});
