import { setTimeout as sleep } from 'node:timers/promises';
import { callIn } from '../api-operations.js';
import type { CheckResult, ScenarioContext } from '../scenario.js';
import type { PlacedOrder, PurchaseLedger } from './purchase.js';

const FINAL = new Set(['paid', 'payment_failed', 'cancelled', 'refunded', 'fulfilled']);
/** statuses in which the units left the shelf for good */
const SOLD = new Set(['paid', 'fulfilled', 'refunded']);

export interface SettledOrder {
  order: PlacedOrder;
  /** last status read; `missing` when the shop answered 404 for an order it had acknowledged */
  status: string;
  lines: PlacedOrder['lines'];
}

export interface Settlement {
  orders: SettledOrder[];
  seconds: number;
}

/** the shop's own view of the lines when it gives one; otherwise what we put in the cart */
function linesOf(order: { lines: PlacedOrder['lines'] }, fallback: PlacedOrder['lines']): PlacedOrder['lines'] {
  return order.lines.length > 0 ? order.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })) : fallback;
}

/** polls GET /v1/orders/{id} until every order is final or the timeout passes */
export async function settleOrders(ctx: ScenarioContext, placed: readonly PlacedOrder[], timeoutMs: number): Promise<Settlement> {
  const started = performance.now();
  const state = new Map<string, SettledOrder>(placed.map((o) => [o.orderId, { order: o, status: 'unknown', lines: o.lines }]));
  let pending = [...state.values()];
  while (pending.length > 0) {
    const queue = [...pending];
    const worker = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        try {
          const res = await callIn(ctx, 'GET', '/v1/orders/{id}', { path: { id: s.order.orderId }, headers: { authorization: `Bearer ${s.order.accessToken}` } });
          if (res.status === 200) {
            s.status = res.data?.status ?? 'unreadable';
            if (res.data) s.lines = linesOf(res.data, s.order.lines);
          } else if (res.status === 404) s.status = 'missing';
        } catch {
          // transport hiccup: keep the last status and ask again next round
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    pending = pending.filter((s) => !FINAL.has(s.status));
    if (pending.length === 0 || performance.now() - started > timeoutMs) break;
    await sleep(500);
  }
  return { orders: [...state.values()], seconds: Math.round((performance.now() - started) / 100) / 10 };
}

const countBy = (items: readonly string[]) => {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return [...m.entries()].map(([k, v]) => `${k} ${v}`).join(', ');
};

export function lostOrdersCheck(settlement: Settlement, timeoutMs: number): CheckResult {
  const name = 'lost orders = 0';
  const total = settlement.orders.length;
  if (total === 0) return { name, status: 'skipped', detail: 'no order was acknowledged during the run, so there was nothing to follow' };
  const lost = settlement.orders.filter((o) => !FINAL.has(o.status));
  const statuses = countBy(settlement.orders.map((o) => o.status));
  if (lost.length === 0) {
    return { name, status: 'passed', detail: `${total} acknowledged orders all reached a final status within ${settlement.seconds} s after the load (${statuses})` };
  }
  const sample = lost.slice(0, 5).map((o) => `${o.order.orderId} (${o.status})`).join(', ');
  return { name, status: 'failed', detail: `${lost.length} of ${total} acknowledged orders were not final after ${timeoutMs / 1000} s: ${sample}` };
}

export function declinedNeverPaidCheck(settlement: Settlement): CheckResult {
  const name = 'declined payments never paid';
  const declined = settlement.orders.filter((o) => o.order.paymentToken === 'tok_declined');
  if (declined.length === 0) return { name, status: 'skipped', detail: 'no checkout used tok_declined' };
  const paid = declined.filter((o) => SOLD.has(o.status));
  return paid.length === 0
    ? { name, status: 'passed', detail: `${declined.length} tok_declined orders: ${countBy(declined.map((o) => o.status))}` }
    : { name, status: 'failed', detail: `${paid.length} tok_declined orders ended ${paid.map((o) => o.status).join('/')}: ${paid.slice(0, 5).map((o) => o.order.orderId).join(', ')}` };
}

export function cartArithmeticCheck(ledger: PurchaseLedger): CheckResult {
  const name = 'cart subtotal = sum of line totals';
  if (ledger.cartsChecked === 0) return { name, status: 'skipped', detail: 'no cart was read back' };
  return ledger.cartArithmeticErrors === 0
    ? { name, status: 'passed', detail: `${ledger.cartsChecked} carts read back, all consistent` }
    : { name, status: 'failed', detail: `${ledger.cartArithmeticErrors} of ${ledger.cartsChecked} carts had a subtotal different from their lines` };
}

export interface StockReading {
  available: number;
  onHand: number | undefined;
}

/** logs in as the admin; undefined without credentials, throws when the shop refuses them */
export async function adminToken(ctx: ScenarioContext): Promise<string | undefined> {
  if (!ctx.admin) return undefined;
  const res = await callIn(ctx, 'POST', '/v1/auth/login', { body: ctx.admin });
  const token = res.data?.accessToken;
  if (res.status !== 200 || !token) {
    throw new Error(`Admin login as ${ctx.admin.email} answered ${res.status}; check --admin-email/--admin-password (or FLOODGATE_ADMIN_EMAIL/PASSWORD)`);
  }
  return token;
}

export async function readStock(ctx: ScenarioContext, token: string, variantIds: readonly string[]): Promise<Map<string, StockReading>> {
  const readings = new Map<string, StockReading>();
  for (const id of variantIds) {
    const res = await callIn(ctx, 'GET', '/v1/admin/inventory/{variantId}', { path: { variantId: id }, headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200 || !res.data) throw new Error(`GET /v1/admin/inventory/${id} answered ${res.status}; the oversell check needs it`);
    readings.set(id, { available: res.data.available, onHand: res.data.onHand });
  }
  return readings;
}

/**
 * Without admin credentials: each variant's `available` from its public product page (the shop's
 * own figure, cached for at most a fraction of a second), so the oversell check still runs.
 */
export async function readPublicStock(
  ctx: ScenarioContext,
  products: ReadonlyArray<{ id: string; variants: ReadonlyArray<{ id: string }> }>,
  variantIds: readonly string[],
): Promise<Map<string, StockReading>> {
  const readings = new Map<string, StockReading>();
  for (const product of products.filter((p) => p.variants.some((v) => variantIds.includes(v.id)))) {
    const res = await callIn(ctx, 'GET', '/v1/products/{idOrSlug}', { path: { idOrSlug: product.id } });
    if (res.status !== 200 || !res.data) throw new Error(`GET /v1/products/${product.id} answered ${res.status}; the oversell check needs it`);
    for (const v of res.data.variants) {
      if (variantIds.includes(v.id)) readings.set(v.id, { available: v.available, onHand: undefined });
    }
  }
  const missing = variantIds.filter((id) => !readings.has(id));
  if (missing.length > 0) throw new Error(`product pages do not show the stock of ${missing.join(', ')}; the oversell check needs it`);
  return readings;
}

export function soldUnits(settlement: Settlement): Map<string, number> {
  const sold = new Map<string, number>();
  for (const o of settlement.orders) {
    if (!SOLD.has(o.status)) continue;
    for (const l of o.lines) sold.set(l.variantId, (sold.get(l.variantId) ?? 0) + l.quantity);
  }
  return sold;
}

/**
 * Units sold per variant must not exceed what was available before the run, and no counter may end
 * negative. Exact when nothing else buys during the run; another buyer can only make it stricter.
 */
export function oversellCheck(
  before: Map<string, StockReading> | undefined,
  after: Map<string, StockReading> | undefined,
  sold: Map<string, number>,
  source: 'admin' | 'product pages' = 'admin',
): CheckResult {
  const name = 'no oversell';
  if (!before || !after) {
    return { name, status: 'skipped', detail: 'no admin credentials: pass --admin-email/--admin-password (or set FLOODGATE_ADMIN_EMAIL/PASSWORD) to compare sales with stock' };
  }
  const problems: string[] = [];
  let totalSold = 0;
  for (const [variantId, b] of before) {
    const units = sold.get(variantId) ?? 0;
    totalSold += units;
    const a = after.get(variantId);
    if (units > b.available) problems.push(`${variantId}: sold ${units} of ${b.available} available`);
    if (a && (a.available < 0 || (a.onHand ?? 0) < 0)) problems.push(`${variantId}: stock ended negative (available ${a.available}, on hand ${a.onHand})`);
  }
  if (problems.length > 0) return { name, status: 'failed', detail: problems.slice(0, 5).join('; ') };
  const drops = [...before].map(([id, b]) => (b.onHand ?? b.available) - (after.get(id)?.onHand ?? after.get(id)?.available ?? 0));
  const shelfDrop = drops.reduce((x, y) => x + y, 0);
  return {
    name,
    status: 'passed',
    detail:
      `${before.size} variants: ${totalSold} units sold, all within the stock read before the run` +
      (source === 'admin' ? `; stock on hand fell by ${shelfDrop}` : ' (stock read from the public product pages: no admin credentials)'),
  };
}
