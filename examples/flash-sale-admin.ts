// An admin integration with the Floodgate client SDK, end to end: create a product, set its stock, put
// part of it on a flash sale, then (as a shopper) queue, reserve, check out and watch the order to `paid`.
//
//   FLOODGATE_URL=http://127.0.0.1:8080 FLOODGATE_ADMIN_EMAIL=… FLOODGATE_ADMIN_PASSWORD=… node --import tsx examples/flash-sale-admin.ts
//
// test/examples/flash-sale-admin.test.ts runs it against a fresh shop, so it cannot rot.
import { randomUUID } from 'node:crypto';
import { createFloodgateClient, type Problem } from '../src/client/create-floodgate-client.js';

/** the data of a call, or an error naming the problem the API answered */
function ok<T>(what: string, result: { data?: T; error?: Problem | unknown; response: Response }): T {
  if (result.data !== undefined) return result.data;
  throw new Error(`${what}: ${result.response.status} ${JSON.stringify(result.error)}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runFlashSaleExample({ baseUrl, adminEmail, adminPassword, log = console.log }: { baseUrl: string; adminEmail: string; adminPassword: string; log?: (line: string) => void }) {
  const anonymous = createFloodgateClient({ baseUrl });
  const login = ok('log in', await anonymous.POST('/v1/auth/login', { body: { email: adminEmail, password: adminPassword } }));
  const admin = createFloodgateClient({ baseUrl, session: { accessToken: login.accessToken, refreshToken: login.refreshToken } });

  const suffix = randomUUID().slice(0, 8);
  const category = ok('create category', await admin.POST('/v1/admin/categories', { body: { slug: `example-${suffix}`, name: `Example ${suffix}` } }));
  const product = ok('create product', await admin.POST('/v1/admin/products', {
    body: { name: `Example lamp ${suffix}`, description: 'A lamp sold in a flash sale', categoryId: category.id, variants: [{ sku: `LAMP-${suffix}`, title: 'Brass', price: { amount: 4900, currency: 'USD' } }] },
  }));
  const variantId = product.variants[0]!.id;
  ok('set stock', await admin.PUT('/v1/admin/inventory/{variantId}', { params: { path: { variantId } }, body: { onHand: 20 } }));
  log(`product ${product.slug}: variant ${variantId}, 20 on hand`);

  const sale = ok('create flash sale', await admin.POST('/v1/admin/flash-sales', {
    body: {
      variantId, price: { amount: 2900, currency: 'USD' }, quantity: 5, perCustomerLimit: 1, admissionRatePerSecond: 20,
      startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
  }));
  log(`flash sale ${sale.id}: 5 units at 29.00 USD`);

  const email = `example-${suffix}@example.com`;
  const registered = ok('register', await anonymous.POST('/v1/auth/register', { body: { email, password: 'an-example-password', name: 'Example Shopper' } }));
  const shopper = createFloodgateClient({ baseUrl, session: { accessToken: registered.accessToken, refreshToken: registered.refreshToken } });

  const joined = ok('join queue', await shopper.POST('/v1/flash-sales/{id}/queue', { params: { path: { id: sale.id } }, body: {} }));
  let admissionToken: string | undefined;
  for (let wait = joined.retryAfterMs; !admissionToken;) {
    await sleep(wait);
    const poll = ok('poll ticket', await shopper.GET('/v1/flash-sales/{id}/queue/{ticket}', { params: { path: { id: sale.id, ticket: joined.ticket } } }));
    if (poll.state === 'sold_out') throw new Error('the sale sold out before we were admitted');
    admissionToken = poll.admissionToken;
    wait = poll.retryAfterMs;
  }
  // the client adds the Idempotency-Key; the admission token is ours to send
  const reservation = ok('reserve', await shopper.POST('/v1/flash-sales/{id}/reservations', {
    params: { path: { id: sale.id }, header: { 'admission-token': admissionToken } },
    body: { quantity: 1 },
  }));
  log(`reserved ${reservation.reservationId} until ${reservation.expiresAt}`);

  const placed = ok('check out', await shopper.POST('/v1/checkout', {
    body: { reservationId: reservation.reservationId, shippingAddress: { name: 'Example Shopper', line1: '1 Example Street', city: 'London', postalCode: 'N1 9GU', country: 'GB' }, paymentToken: 'tok_visa' },
  }));
  log(`order ${placed.orderId} accepted (${placed.status})`);

  for (const deadline = Date.now() + 30_000; ;) {
    const order = ok('read order', await shopper.GET('/v1/orders/{id}', { params: { path: { id: placed.orderId } } }));
    if (order.status !== 'pending') {
      log(`order ${order.id} is ${order.status}`);
      return { orderId: order.id, status: order.status, saleId: sale.id, variantId };
    }
    if (Date.now() > deadline) throw new Error(`order ${order.id} still pending after 30 s`);
    await sleep(200);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const env = (name: string) => process.env[name] ?? (() => { throw new Error(`set ${name}`); })();
  const result = await runFlashSaleExample({ baseUrl: env('FLOODGATE_URL'), adminEmail: env('FLOODGATE_ADMIN_EMAIL'), adminPassword: env('FLOODGATE_ADMIN_PASSWORD') });
  if (result.status !== 'paid') process.exitCode = 1;
}
