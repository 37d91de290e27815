import type { components, paths } from '../../client/api-types.js';
import { callAs } from '../api-operations.js';
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

type Cart = components['schemas']['Cart'];
/** what checkout takes, as the API document says */
type CheckoutBody = paths['/v1/checkout']['post']['requestBody']['content']['application/json'];

const SHIPPING_ADDRESS: CheckoutBody['shippingAddress'] = { name: 'Load Test', line1: '1 Benchmark Street', city: 'Testville', postalCode: '10115', country: 'DE' };

export interface PurchasePlan {
  register: boolean;
  checkout: boolean;
  decline: boolean;
}

/** guest token or a fresh registration; undefined when the shop refused */
async function identify(vu: VirtualUser, register: boolean): Promise<{ token: string; email: string } | undefined> {
  // a letter between the run id (8 hex digits, at times all decimal) and the user's number, here and in the
  // checkout's Idempotency-Key: joined by the dash, the two could make 13+ digits of a card number, and the shop
  // refuses card data in any field (a run with an all-decimal id saw 6 % of its checkouts refused with 400)
  const email = `lt-${vu.runId}-u${vu.n}@example.com`;
  const res = register
    ? await callAs(vu, 'auth.register', 'POST', '/v1/auth/register', {
        body: { email, password: `lt-${vu.runId}-secret`, name: `Load Tester ${vu.n}` },
        expect: [201],
      })
    : await callAs(vu, 'auth.guest', 'POST', '/v1/auth/guest', { expect: [201] });
  const token = res.data?.accessToken;
  return res.ok && token ? { token, email } : undefined;
}

/**
 * A buyer: identity → cart → 1–2 items → (maybe) checkout → order page. Every 202 lands in the ledger.
 * Stops at the first answer it cannot continue from; the error is already counted under its step.
 */
export async function purchase(vu: VirtualUser, hotVariants: readonly string[], ledger: PurchaseLedger, plan: PurchasePlan): Promise<void> {
  const who = await identify(vu, plan.register);
  if (!who) return;
  const auth = { authorization: `Bearer ${who.token}` };
  const cart = await callAs(vu, 'cart.create', 'POST', '/v1/carts', { headers: auth, body: {}, expect: [200, 201] });
  const cartId = cart.data?.id;
  if (!cart.ok || !cartId) return;

  const lines: PlacedOrder['lines'] = [];
  const wanted = 1 + (vu.random() < 0.35 ? 1 : 0);
  for (let i = 0; i < wanted; i++) {
    const variantId = hotVariants[Math.floor(vu.random() * hotVariants.length)];
    if (!variantId || lines.some((l) => l.variantId === variantId)) continue;
    const quantity = vu.random() < 0.2 ? 2 : 1;
    await vu.think();
    const add = await callAs(vu, 'cart.add', 'POST', '/v1/carts/{id}/items', {
      path: { id: cartId },
      headers: auth,
      body: { variantId, quantity },
      expect: [200, 201, 409],
    });
    if (add.status === 409) ledger.refusedForStock += 1;
    else if (add.ok) lines.push({ variantId, quantity });
  }
  if (lines.length === 0) return;

  await vu.think();
  const view = await callAs(vu, 'cart.view', 'GET', '/v1/carts/{id}', { path: { id: cartId }, headers: auth });
  if (view.data) checkCartArithmetic(view.data, ledger);
  if (!plan.checkout) return; // abandoned cart: most carts never check out

  await vu.think();
  const paymentToken = plan.decline ? 'tok_declined' : 'tok_visa';
  const checkout = await callAs(vu, 'checkout', 'POST', '/v1/checkout', {
    headers: { ...auth, 'idempotency-key': `lt-${vu.runId}-u${vu.n}` },
    body: { cartId, ...(plan.register ? {} : { email: who.email }), shippingAddress: SHIPPING_ADDRESS, paymentToken },
    expect: [202, 409],
  });
  if (checkout.status === 409) ledger.refusedForStock += 1;
  const orderId = checkout.data?.orderId;
  if (checkout.status !== 202 || !orderId) return;
  ledger.placed.push({ orderId, accessToken: who.token, paymentToken, lines });

  await vu.think();
  await callAs(vu, 'order.view', 'GET', '/v1/orders/{id}', { path: { id: orderId }, headers: auth });
}

function checkCartArithmetic(cart: Cart, ledger: PurchaseLedger): void {
  ledger.cartsChecked += 1;
  const sum = cart.items.reduce((total, item) => total + item.lineTotal.amount, 0);
  if (sum !== cart.subtotal.amount) ledger.cartArithmeticErrors += 1;
}
