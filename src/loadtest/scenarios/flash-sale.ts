import { setTimeout as sleep } from 'node:timers/promises';
import { callIn } from '../api-operations.js';
import { defineScenario, type ScenarioContext } from '../scenario.js';
import { flashCustomer, FLASH_STEPS, type FlashLedger } from './flash-customer.js';
import { flashFifoCheck, flashLimitCheck, flashOversellCheck, flashResolvedCheck, flashUndersellCheck } from './flash-checks.js';
import { adminToken, lostOrdersCheck, settleOrders } from './order-checks.js';
import { discoverCatalog } from './shop-catalog.js';

/** FLASH_SALE_TICK_MS's default: the admission worker's step, the FIFO check's tolerance */
const TICK_MS = 250;

export interface FlashState {
  saleId: string;
  stock: number;
  limit: number;
  ledger: FlashLedger;
  adminToken: string;
}

/** a variant with at least `stock` units free, topped up through the admin API when none has enough */
async function pickVariant(ctx: ScenarioContext, token: string, stock: number) {
  const catalog = await discoverCatalog(ctx);
  const variants = catalog.products.flatMap((p) => p.variants.map((v) => ({ ...v, productId: p.id })));
  if (variants.length === 0) throw new Error('No product on the target has a variant to put on sale.');
  const chosen = variants.find((v) => v.available >= stock) ?? variants[0]!;
  const auth = { authorization: `Bearer ${token}` };
  const level = (await callIn(ctx, 'GET', '/v1/admin/inventory/{variantId}', { path: { variantId: chosen.id }, headers: auth })).data;
  const available = level?.available ?? 0;
  if (available < stock) {
    const onHand = (level?.onHand ?? 0) + (stock - available);
    const put = await callIn(ctx, 'PUT', '/v1/admin/inventory/{variantId}', { path: { variantId: chosen.id }, headers: auth, body: { onHand } });
    if (put.status !== 200) throw new Error(`PUT /v1/admin/inventory/${chosen.id} answered ${put.status}; the sale needs ${stock} free units`);
    ctx.log(`topped variant ${chosen.id} up to ${onHand} on hand so the sale can carve out ${stock} units`);
  }
  const product = (await callIn(ctx, 'GET', '/v1/products/{idOrSlug}', { path: { idOrSlug: chosen.productId } })).data;
  const price = product?.variants.find((v) => v.id === chosen.id)?.price;
  const amount = price?.amount ?? 2000;
  const currency = price?.currency ?? 'EUR';
  return { variantId: chosen.id, price: { amount: Math.max(1, Math.floor(amount / 2)), currency } };
}

/** creates a live sale through the admin API and waits until the shop says it is live */
export async function createLiveSale(
  ctx: ScenarioContext,
  token: string,
  input: { stock: number; limit: number; admissionRatePerSecond: number },
): Promise<string> {
  const { variantId, price } = await pickVariant(ctx, token, input.stock);
  const now = Date.now();
  const created = await callIn(ctx, 'POST', '/v1/admin/flash-sales', {
    headers: { authorization: `Bearer ${token}` },
    body: {
      variantId,
      price,
      quantity: input.stock,
      startsAt: new Date(now).toISOString(),
      endsAt: new Date(now + 2 * 3_600_000).toISOString(),
      perCustomerLimit: input.limit,
      admissionRatePerSecond: input.admissionRatePerSecond,
      // a reservation whose customer vanished (its requests lost) gives its unit back within the run
      reservationLeaseMs: 30_000,
      allowGuests: true,
    },
  });
  const saleId = created.data?.id;
  if (created.status !== 201 || !saleId) {
    throw new Error(`POST /v1/admin/flash-sales answered ${created.status}: ${JSON.stringify(created.body).slice(0, 300)}`);
  }
  for (const deadline = Date.now() + 30_000; ; await sleep(200)) {
    const sale = await callIn(ctx, 'GET', '/v1/flash-sales/{id}', { path: { id: saleId } });
    if (sale.data?.status === 'live') break;
    if (Date.now() > deadline) throw new Error(`sale ${saleId} was not live 30 s after it was created (status ${String(sale.data?.status)})`);
  }
  ctx.log(`sale ${saleId}: ${input.stock} units of ${variantId} at ${price.amount} ${price.currency}, limit ${input.limit}, admitting ${input.admissionRatePerSecond}/s`);
  return saleId;
}

/** units the shop says are sold (its reservations in status `sold`, from PostgreSQL), from the admin API; undefined when it does not answer */
export async function readSoldUnits(ctx: ScenarioContext, token: string, saleId: string): Promise<number | undefined> {
  const res = await callIn(ctx, 'GET', '/v1/admin/flash-sales/{id}', { path: { id: saleId }, headers: { authorization: `Bearer ${token}` } });
  return res.status === 200 ? res.data?.reservations.sold : undefined;
}

/**
 * A flash sale rehearsal: the admin creates a sale of `stock` units, `customers` shoppers arrive at
 * `rps` a second (open model), each joins the waiting room, polls as told, reserves when admitted,
 * checks out (some with a declined card) and follows the order. Checks: no oversell, no undersell,
 * everyone resolved, FIFO, limits.
 */
export const flashSaleScenario = defineScenario<FlashState>({
  name: 'flash',
  description: 'a flash sale: customers join the waiting room, poll, reserve when admitted, check out',
  steps: FLASH_STEPS,
  defaults: { customers: 1_000, stock: 100, perCustomerLimit: 1, declineRatio: 0.1, registerRatio: 0.1, admissionRatePerSecond: 100 },
  phases: (o) => {
    const customers = o.customers ?? 1_000;
    const rps = o.rps ?? Math.max(1, customers / 10);
    return [{ name: 'doors open', durationSec: customers / rps, fromRate: rps, toRate: rps }];
  },
  setup: async (ctx) => {
    const token = await adminToken(ctx);
    if (!token) throw new Error('loadtest flash creates its sale through the admin API: pass --admin-email/--admin-password (or FLOODGATE_ADMIN_EMAIL/PASSWORD)');
    const stock = ctx.options.stock ?? 100;
    const limit = ctx.options.perCustomerLimit ?? 1;
    const saleId = await createLiveSale(ctx, token, { stock, limit, admissionRatePerSecond: ctx.options.admissionRatePerSecond ?? 100 });
    return { saleId, stock, limit, ledger: { customers: [], polls: [] }, adminToken: token };
  },
  flow: (vu, state) => {
    const o = vu.options;
    return flashCustomer(vu, {
      saleId: state.saleId,
      limit: state.limit,
      register: vu.random() < (o.registerRatio ?? 0.1),
      decline: vu.random() < (o.declineRatio ?? 0.1),
      probeLimit: vu.random() < 0.2,
      soldOutPatienceMs: 10_000,
    }, state.ledger);
  },
  checks: async (ctx, state) => {
    const { customers, polls } = state.ledger;
    // flows follow their own orders; any left pending (drain timeout) are followed here
    const placed = customers.flatMap((c) => c.orders.map((o) => ({ customer: c, order: o })));
    const timeoutMs = ctx.options.settleTimeoutMs ?? 60_000;
    const settlement = await settleOrders(
      ctx,
      placed.map(({ order }) => ({ orderId: order.orderId, accessToken: order.accessToken, paymentToken: order.paymentToken as 'tok_visa', lines: [] })),
      timeoutMs,
    );
    const statusById = new Map(settlement.orders.map((s) => [s.order.orderId, s.status]));
    for (const { customer, order } of placed) {
      order.status = statusById.get(order.orderId) ?? order.status;
      if (customer.outcome === 'unresolved' && (order.status === 'paid' || order.status === 'payment_failed')) {
        customer.outcome = order.status === 'paid' ? 'paid' : 'declined';
      }
    }
    const shopSold = await readSoldUnits(ctx, state.adminToken, state.saleId);
    const probes = customers.filter((c) => c.probedLimit).length;
    return [
      flashOversellCheck(state.stock, customers, shopSold),
      flashUndersellCheck(state.stock, customers, shopSold),
      flashResolvedCheck(customers),
      flashFifoCheck(polls, TICK_MS),
      flashLimitCheck(state.limit, customers, probes),
      lostOrdersCheck(settlement, timeoutMs),
    ];
  },
});
