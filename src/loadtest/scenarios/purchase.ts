import type { VirtualUser } from '../scenario.js';

/** an order the shop acknowledged with 202: the lost-order check follows each one to a final status */
export interface PlacedOrder {
  orderId: string;
  /** orders are only readable by their owner */
  accessToken: string;
  paymentToken: 'tok_visa' | 'tok_declined';
  /** what the cart held, as this client put it there */
  lines: Array<{ variantId: string; quantity: number }>;
}

export interface PurchaseLedger {
  placed: PlacedOrder[];
  /** checkouts or cart additions refused with 409 (stock gone): a business outcome, not an error */
  refusedForStock: number;
  /** carts whose subtotal differed from the sum of their line totals */
  cartArithmeticErrors: number;
  cartsChecked: number;
}

export const PURCHASE_STEPS = ['auth.guest', 'auth.register', 'cart.create', 'cart.add', 'cart.view', 'checkout', 'order.view'] as const;

export const createLedger = (): PurchaseLedger => ({ placed: [], refusedForStock: 0, cartArithmeticErrors: 0, cartsChecked: 0 });

const SHIPPING_ADDRESS = { name: 'Load Test', line1: '1 Benchmark Street', city: 'Testville', postalCode: '10115', country: 'DE' };

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const amountOf = (v: unknown): number | undefined => {
  const a = rec(v).amount;
  return typeof a === 'number' ? a : undefined;
};

export interface PurchasePlan {
  register: boolean;
  checkout: boolean;
  decline: boolean;
}

/** guest token or a fresh registration; undefined when the shop refused */
async function identify(vu: VirtualUser, register: boolean): Promise<{ token: string; email: string } | undefined> {
  const email = `lt-${vu.runId}-${vu.n}@example.com`;
  const res = register
    ? await vu.request('auth.register', {
        method: 'POST',
        path: '/v1/auth/register',
        body: { email, password: `lt-${vu.runId}-secret`, name: `Load Tester ${vu.n}` },
        expect: [201],
      })
    : await vu.request('auth.guest', { method: 'POST', path: '/v1/auth/guest', body: {}, expect: [201] });
  const token = rec(res.body).accessToken;
  return res.ok && typeof token === 'string' ? { token, email } : undefined;
}

/**
 * A buyer: identity → cart → 1–2 items → (maybe) checkout → order page. Every 202 lands in the ledger.
 * Stops at the first answer it cannot continue from; the error is already counted under its step.
 */
export async function purchase(vu: VirtualUser, hotVariants: readonly string[], ledger: PurchaseLedger, plan: PurchasePlan): Promise<void> {
  const who = await identify(vu, plan.register);
  if (!who) return;
  const auth = { authorization: `Bearer ${who.token}` };
  const cart = await vu.request('cart.create', { method: 'POST', path: '/v1/carts', headers: auth, body: {}, expect: [200, 201] });
  const cartId = rec(cart.body).id;
  if (!cart.ok || typeof cartId !== 'string') return;

  const lines: PlacedOrder['lines'] = [];
  const wanted = 1 + (vu.random() < 0.35 ? 1 : 0);
  for (let i = 0; i < wanted; i++) {
    const variantId = hotVariants[Math.floor(vu.random() * hotVariants.length)];
    if (!variantId || lines.some((l) => l.variantId === variantId)) continue;
    const quantity = vu.random() < 0.2 ? 2 : 1;
    await vu.think();
    const add = await vu.request('cart.add', {
      method: 'POST',
      path: `/v1/carts/${cartId}/items`,
      headers: auth,
      body: { variantId, quantity },
      expect: [200, 201, 409],
    });
    if (add.status === 409) ledger.refusedForStock += 1;
    else if (add.ok) lines.push({ variantId, quantity });
  }
  if (lines.length === 0) return;

  await vu.think();
  const view = await vu.request('cart.view', { method: 'GET', path: `/v1/carts/${cartId}`, headers: auth });
  checkCartArithmetic(view.body, ledger);
  if (!plan.checkout) return; // abandoned cart: most carts never check out

  await vu.think();
  const paymentToken = plan.decline ? 'tok_declined' : 'tok_visa';
  const checkout = await vu.request('checkout', {
    method: 'POST',
    path: '/v1/checkout',
    headers: { ...auth, 'idempotency-key': `lt-${vu.runId}-${vu.n}` },
    body: { cartId, ...(plan.register ? {} : { email: who.email }), shippingAddress: SHIPPING_ADDRESS, paymentToken },
    expect: [202, 409],
  });
  if (checkout.status === 409) ledger.refusedForStock += 1;
  const orderId = rec(checkout.body).orderId;
  if (checkout.status !== 202 || typeof orderId !== 'string') return;
  ledger.placed.push({ orderId, accessToken: who.token, paymentToken, lines });

  await vu.think();
  await vu.request('order.view', { method: 'GET', path: `/v1/orders/${orderId}`, headers: auth });
}

function checkCartArithmetic(body: unknown, ledger: PurchaseLedger): void {
  const cart = rec(body);
  const subtotal = amountOf(cart.subtotal);
  const items = Array.isArray(cart.items) ? cart.items : undefined;
  if (subtotal === undefined || !items) return;
  const totals = items.map((i) => amountOf(rec(i).lineTotal));
  if (totals.some((t) => t === undefined)) return;
  ledger.cartsChecked += 1;
  const sum = (totals as number[]).reduce((a, b) => a + b, 0);
  if (sum !== subtotal) ledger.cartArithmeticErrors += 1;
}
