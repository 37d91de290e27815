import { randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, createShopper } from '../support/api.js';
import { startTestShop, type TestShop } from '../support/shop.js';

const marker = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`;

/**
 * Every value below is sent through a path that fails somewhere (the database refusing the row,
 * validation, a bad cursor, a card number, a wrong password); afterwards the captured log must
 * hold none of them. Triggers make the database fail the way a real fault would, with the row's
 * values in the error: PGlite attaches the statement and its parameters to every error it raises.
 */
describe('what a failing request leaves in the log', () => {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _encoding, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
  let shop: TestShop;
  let api: ReturnType<typeof createApi>;
  const secrets = {
    email: `${marker('jane.')}@example.com`,
    password: marker('Pw-'),
    name: marker('Jane Private '),
    line1: marker('742 Evergreen Terrace '),
    postalCode: marker('ZX9 '),
    pan: '4111111111111111',
    paymentToken: 'tok_visa',
  };
  const sent: Record<string, string> = {};

  beforeAll(async () => {
    shop = await startTestShop('pglite', { LOG_LEVEL: 'debug' }, { logDestination: destination });
    api = createApi(shop.url);
  });
  afterAll(() => shop?.dispose());

  it('when registration, checkout, refresh, login and listing fail in the database or at validation, then no log line holds an email, password, hash, address, token, card number or JWT that was sent', async () => {
    const shopper = createShopper(api);
    const admin = await shopper.adminToken(shop.admin);
    const customer = await shopper.register();
    const session = await api.post('/v1/auth/register', { email: `s-${randomUUID()}@example.com`, password: secrets.password, name: 'Session Holder' });
    sent.accessToken = session.body.accessToken;
    sent.refreshToken = session.body.refreshToken;
    sent.customerEmail = customer.email;
    const product = await shopper.createProduct(admin, { stock: 5 });
    const cartId = await shopper.cartWith(customer.token, product.variantId);

    // the same email twice: the unique index decides
    const duplicate = await api.post('/v1/auth/register', { email: customer.email, password: secrets.password, name: secrets.name });

    // the database refuses these rows, quoting them in the error as a constraint or trigger would
    const k = shop.database.kysely;
    await sql`create function public.refuse_row() returns trigger language plpgsql as $$
      begin raise exception 'row refused for %', coalesce(to_jsonb(new)->>'email', '?') using detail = new::text, hint = new::text; end $$`.execute(k);
    await sql`create trigger refuse_account before insert on customers.accounts for each row execute function public.refuse_row()`.execute(k);
    await sql`create trigger refuse_order before insert on orders.orders for each row execute function public.refuse_row()`.execute(k);

    const address = { name: secrets.name, line1: secrets.line1, city: 'Springfield', postalCode: secrets.postalCode, country: 'US' };
    const answers = [
      await api.post('/v1/auth/register', { email: secrets.email, password: secrets.password, name: secrets.name }),
      await api.post('/v1/checkout', { cartId, email: secrets.email, shippingAddress: address, paymentToken: secrets.paymentToken }, { token: customer.token, headers: { 'idempotency-key': randomUUID() } }),
      // refused at validation: NUL, a card number, bad cursors, unknown fields
      await api.post('/v1/auth/register', { email: secrets.email, password: secrets.password, name: `${secrets.name}\u0000` }),
      await api.post('/v1/checkout', { cartId, email: secrets.email, shippingAddress: { ...address, line2: secrets.pan }, paymentToken: secrets.paymentToken }, { token: customer.token, headers: { 'idempotency-key': randomUUID() } }),
      await api.post('/v1/checkout', { cartId, shippingAddress: address, paymentToken: secrets.paymentToken, card: secrets.pan }, { token: customer.token, headers: { 'idempotency-key': randomUUID() } }),
      await api.get(`/v1/orders?cursor=${Buffer.from(JSON.stringify(['+275760-09-13T00:00:00.000Z', '-'.repeat(36)])).toString('base64url')}`, { token: customer.token }),
      await api.get(`/v1/products?q=${encodeURIComponent(secrets.email)}%00`),
      // credentials that fail: a wrong password, a refresh token used twice, a forged bearer
      await api.post('/v1/auth/login', { email: secrets.email, password: secrets.password }),
      await api.post('/v1/auth/refresh', { refreshToken: sent.refreshToken }),
      await api.post('/v1/auth/refresh', { refreshToken: sent.refreshToken }),
      await api.get('/v1/me', { token: `${sent.accessToken}x` }),
      duplicate,
    ];
    expect(answers.map((a) => a.status)).toEqual([500, 500, 400, 400, 400, 400, 400, 401, 200, 401, 401, 409]);

    await new Promise((resolve) => setImmediate(resolve));
    const captured = lines.join('\n');
    // the failures were logged (with their code and stack), just not what they carried
    const errors = lines.map((l) => JSON.parse(l) as { msg?: string; err?: Record<string, unknown> }).filter((l) => l.msg === 'unhandled error');
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]?.err).toMatchObject({ code: 'P0001', params: '[redacted]', query: '[redacted]', detail: '[redacted]', hint: '[redacted]' });
    const leaked = Object.entries({ ...secrets, ...sent }).filter(([, value]) => captured.includes(value));
    expect(leaked.map(([name]) => name)).toEqual([]);
    expect(captured).not.toMatch(/\$argon2/);
    expect(captured).not.toMatch(/eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
  });
});
