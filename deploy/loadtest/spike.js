/* global __ENV */
// k6 equivalent of `floodgate loadtest spike`: baseline → ×MULTIPLIER within RAMP s → HOLD → RECOVERY,
// open model (ramping-arrival-rate), storefront browse mix with a few guest purchases.
//
//   k6 run deploy/loadtest/spike.js
//   k6 run -e TARGET=http://127.0.0.1:8080 -e BASELINE_RPS=5 -e MULTIPLIER=20 -e DURATION=5 -e RAMP=5 -e HOLD=10 -e RECOVERY=20 deploy/loadtest/spike.js
//
// Like the Floodgate runner it refuses any target that is not this machine. The Floodgate runner
// remains the reference: it also checks oversell against admin stock readings and writes the HTML report.
import http from 'k6/http';
import { check, fail, sleep } from 'k6';
import { Counter } from 'k6/metrics';
import exec from 'k6/execution';

const TARGET = (__ENV.TARGET || 'http://127.0.0.1:8080').replace(/\/$/, '');
const BASELINE = Number(__ENV.BASELINE_RPS || 20);
const PEAK = BASELINE * Number(__ENV.MULTIPLIER || 20);
const BASELINE_S = Number(__ENV.DURATION || 30);
const RAMP_S = Number(__ENV.RAMP || 10);
const HOLD_S = Number(__ENV.HOLD || 60);
const RECOVERY_S = Number(__ENV.RECOVERY || 180);
const BUY_RATIO = Number(__ENV.BUY_RATIO || 0.02);
const DECLINE_RATIO = Number(__ENV.DECLINE_RATIO || 0.05);
const SETTLE_S = Number(__ENV.SETTLE_TIMEOUT || 60);
const FINAL = ['paid', 'payment_failed', 'cancelled', 'refunded', 'fulfilled'];

// the authority up to the port; anything with user-info or another host fails the pattern below
const host = (/^https?:\/\/(\[[^\]]+\]|[^/:?#]+)/i.exec(TARGET) || [])[1] || '';
const loopback = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i.test(host);

const ordersAcknowledged = new Counter('orders_acknowledged');
const ordersFinal = new Counter('orders_final');
const ordersLost = new Counter('orders_lost');
const declinedButPaid = new Counter('declined_but_paid');

export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      startRate: BASELINE,
      timeUnit: '1s',
      preAllocatedVUs: Math.max(20, BASELINE * 2),
      // arrivals beyond this many busy VUs are dropped (k6 reports dropped_iterations), like --max-in-flight
      maxVUs: Number(__ENV.MAX_VUS || 5000),
      stages: [
        { target: BASELINE, duration: `${BASELINE_S}s` },
        { target: PEAK, duration: `${RAMP_S}s` },
        { target: PEAK, duration: `${HOLD_S}s` },
        { target: BASELINE, duration: '1s' },
        { target: BASELINE, duration: `${RECOVERY_S}s` },
      ],
      gracefulStop: `${SETTLE_S + 30}s`,
    },
  },
  thresholds: {
    orders_lost: ['count==0'],
    declined_but_paid: ['count==0'],
    'http_req_failed{kind:browse}': ['rate<0.01'],
    'http_req_duration{kind:browse}': ['p(99)<1000'],
  },
};

const json = (res) => {
  try {
    return res.json();
  } catch {
    return {};
  }
};

export function setup() {
  if (!loopback) fail(`refusing to load ${TARGET}: this script only targets this machine (localhost, 127.0.0.0/8, [::1])`);
  const products = [];
  let cursor = null;
  for (let page = 0; page < 4; page++) {
    const res = http.get(`${TARGET}/v1/products?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (res.status !== 200) fail(`GET /v1/products answered ${res.status}; is ${TARGET} a Floodgate shop?`);
    const body = json(res);
    for (const p of body.items || []) products.push({ id: p.id, slug: p.slug, name: p.name, categoryId: p.categoryId, variants: p.variants || [] });
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  if (products.length === 0) fail('the target has no products; start it with the demo catalog');
  const categories = [...new Set(products.map((p) => p.categoryId).filter(Boolean))];
  const terms = [...new Set(products.flatMap((p) => String(p.name).toLowerCase().split(/[^a-z0-9]+/)).filter((w) => w.length >= 4))].slice(0, 40);
  const hot = products.flatMap((p) => p.variants.filter((v) => v.available > 0).slice(0, 1).map((v) => v.id)).slice(0, 10);
  return { products, categories, terms, hot };
}

const pick = (items) => items[Math.floor(Math.random() * items.length)];

function browse(data) {
  const r = Math.random();
  const tags = { kind: 'browse' };
  if (r < 0.4) {
    const x = Math.random();
    const p = data.products[Math.floor(x * x * x * data.products.length)];
    return http.get(`${TARGET}/v1/products/${encodeURIComponent(p.slug)}`, { tags: { ...tags, name: 'product' } });
  }
  if (r < 0.75) {
    const category = data.categories.length && Math.random() < 0.7 ? `&category=${encodeURIComponent(pick(data.categories))}` : '';
    return http.get(`${TARGET}/v1/products?limit=20${category}`, { tags: { ...tags, name: 'list' } });
  }
  if (r < 0.95) return http.get(`${TARGET}/v1/products?q=${encodeURIComponent(pick(data.terms) || 'shirt')}&limit=20`, { tags: { ...tags, name: 'search' } });
  return http.get(`${TARGET}/v1/categories`, { tags: { ...tags, name: 'categories' } });
}

function buy(data) {
  const tags = { kind: 'buy' };
  const post = (path, body, headers, name) =>
    http.post(`${TARGET}${path}`, JSON.stringify(body), { headers: { 'content-type': 'application/json', ...headers }, tags: { ...tags, name } });
  const guest = post('/v1/auth/guest', {}, {}, 'auth.guest');
  if (!check(guest, { 'guest 201': (r) => r.status === 201 })) return;
  const auth = { authorization: `Bearer ${json(guest).accessToken}` };
  const cart = post('/v1/carts', {}, auth, 'cart.create');
  if (!check(cart, { 'cart 201': (r) => r.status === 201 })) return;
  const cartId = json(cart).id;
  sleep(0.1 + Math.random() * 0.2);
  const add = post(`/v1/carts/${cartId}/items`, { variantId: pick(data.hot), quantity: 1 }, auth, 'cart.add');
  if (!check(add, { 'add 201 or 409 sold out': (r) => r.status === 201 || r.status === 409 }) || add.status !== 201) return;
  sleep(0.1 + Math.random() * 0.2);
  const paymentToken = Math.random() < DECLINE_RATIO ? 'tok_declined' : 'tok_visa';
  const n = exec.scenario.iterationInTest;
  const checkout = post(
    '/v1/checkout',
    { cartId, email: `k6-${n}@example.com`, shippingAddress: { name: 'Load Test', line1: '1 Benchmark Street', city: 'Testville', postalCode: '10115', country: 'DE' }, paymentToken },
    { ...auth, 'idempotency-key': `k6-${exec.vu.idInTest}-${n}-${Date.now()}` },
    'checkout',
  );
  if (!check(checkout, { 'checkout 202 or 409 sold out': (r) => r.status === 202 || r.status === 409 }) || checkout.status !== 202) return;
  ordersAcknowledged.add(1);
  // k6 cannot share the order ids with teardown, so each buyer follows its own order to a final status
  const orderId = json(checkout).orderId;
  const deadline = Date.now() + SETTLE_S * 1000;
  while (Date.now() < deadline) {
    const order = http.get(`${TARGET}/v1/orders/${orderId}`, { headers: auth, tags: { ...tags, name: 'order.settle' } });
    const status = json(order).status;
    if (FINAL.includes(status)) {
      ordersFinal.add(1);
      if (paymentToken === 'tok_declined' && ['paid', 'fulfilled', 'refunded'].includes(status)) declinedButPaid.add(1);
      return;
    }
    sleep(1);
  }
  ordersLost.add(1);
}

export default function (data) {
  if (Math.random() < BUY_RATIO && data.hot.length > 0) buy(data);
  else check(browse(data), { 'browse 2xx': (r) => r.status >= 200 && r.status < 300 });
}
