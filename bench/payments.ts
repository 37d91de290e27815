// Payments benchmark: placed → paid for tok_visa orders, alone and with half the orders on tok_flaky.
// The all-in-one shop runs in its own process (its in-process fake PSP, its workers); this process
// checks out at a fixed rate (open model) and reads each order's history for when it was placed and paid.
//   node --import tsx bench/payments.ts [--orders 200] [--rate 20] [--products 200] [--save]
// DATABASE_URL, when set, is passed on: the shop then runs on that PostgreSQL database.
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { exitWithHelpWhenAsked, loadNote, machineNote, saveResult } from './support/bench-report.js';
import { startBenchTarget } from './support/bench-target.js';
import { jsonCaller } from './support/json-call.js';

exitWithHelpWhenAsked();
const { values } = parseArgs({
  options: { orders: { type: 'string' }, rate: { type: 'string' }, products: { type: 'string' }, save: { type: 'boolean', default: false } },
});
const ORDERS = Number(values.orders ?? 200);
const RATE = Number(values.rate ?? 20);
const PRODUCTS = values.products ?? '200';
const FINAL = new Set(['paid', 'payment_failed', 'cancelled', 'refunded', 'fulfilled']);
const log = (m: string) => process.stderr.write(`${m}\n`);
const loadAtStart = loadNote();

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
};

log(`bench:payments — ${machineNote()}; ${ORDERS} orders per scenario at ${RATE}/s`);
const shop = await startBenchTarget('shop', { FLOODGATE_DEMO_PRODUCTS: PRODUCTS, LOG_LEVEL: 'warn' });

interface ScenarioResult {
  scenario: string;
  orders: number;
  visa: { n: number; p50: number; p99: number; max: number };
  flaky: { n: number; p50: number; p99: number; max: number } | null;
  notFinal: number;
  statuses: Record<string, number>;
}

try {
  const call = jsonCaller(shop.url);

  const variants: string[] = [];
  let cursor: unknown = null;
  for (let page = 0; page < 20 && variants.length < 1000; page++) {
    const list = await call('GET', `/v1/products?limit=50${typeof cursor === 'string' ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const p of (list.body.items as Array<{ variants: Array<{ id: string; available: number }> }>) ?? []) {
      for (const v of p.variants) if (v.available > 0) variants.push(v.id);
    }
    cursor = list.body.nextCursor;
    if (typeof cursor !== 'string') break;
  }
  if (variants.length === 0) throw new Error('the shop has no variant in stock');
  const guest = await call('POST', '/v1/auth/guest', {});
  const token = guest.body.accessToken as string;
  const runTag = Date.now().toString(36);

  const scenario = async (name: string, tokenFor: (i: number) => string, orders = ORDERS): Promise<ScenarioResult> => {
    log(`${name}: filling ${orders} carts`);
    const carts: string[] = [];
    for (let i = 0; i < orders; i++) {
      const cart = await call('POST', '/v1/carts', {}, token);
      const id = cart.body.id as string;
      const item = await call('POST', `/v1/carts/${id}/items`, { variantId: variants[(carts.length * 7) % variants.length], quantity: 1 }, token);
      if (item.status !== 201) throw new Error(`POST /v1/carts/{id}/items answered ${item.status}`);
      carts.push(id);
    }
    log(`${name}: checking out at ${RATE}/s`);
    const placed: Array<{ orderId: string; token: string }> = [];
    const refused: Record<number, number> = {};
    const started = performance.now();
    await Promise.all(
      carts.map(async (cartId, i) => {
        await sleep(Math.max(0, started + (i * 1000) / RATE - performance.now()));
        const paymentToken = tokenFor(i);
        const res = await call('POST', '/v1/checkout', {
          cartId,
          email: 'bench@example.com',
          shippingAddress: { name: 'Bench Mark', line1: '1 Bench Street', city: 'Testville', postalCode: '10115', country: 'DE' },
          paymentToken,
        }, token, { 'idempotency-key': `bench-pay-${runTag}-${name.replace(/[^a-z0-9]+/gi, '-')}-${i}` });
        if (res.status === 202) placed.push({ orderId: res.body.orderId as string, token: paymentToken });
        else refused[res.status] = (refused[res.status] ?? 0) + 1;
      }),
    );
    log(`${name}: ${placed.length} acknowledged${Object.keys(refused).length ? `, refused ${JSON.stringify(refused)}` : ''}; following them to a final status`);
    if (placed.length === 0) throw new Error(`no checkout was acknowledged: ${JSON.stringify(refused)}`);
    const deadline = performance.now() + 300_000;
    const histories = new Map<string, { status: string; history: Array<{ to: string; at: string }> }>();
    let pending = placed.map((p) => p.orderId);
    while (pending.length > 0 && performance.now() < deadline) {
      const still: string[] = [];
      for (let i = 0; i < pending.length; i += 20) {
        const batch = pending.slice(i, i + 20);
        const answers = await Promise.all(batch.map((id) => call('GET', `/v1/orders/${id}`, undefined, token)));
        answers.forEach((a, j) => {
          const order = a.body as { status: string; history: Array<{ to: string; at: string }> };
          if (FINAL.has(order.status)) histories.set(batch[j]!, order);
          else still.push(batch[j]!);
        });
      }
      pending = still;
      if (pending.length > 0) await sleep(250);
    }
    const paidMs = (kind: string) =>
      placed
        .filter((p) => p.token === kind)
        .map((p) => histories.get(p.orderId))
        .filter((o): o is NonNullable<typeof o> => o?.status === 'paid')
        .map((o) => Date.parse(o.history.find((h) => h.to === 'paid')!.at) - Date.parse(o.history.find((h) => h.to === 'pending')!.at));
    const summary = (ms: number[]) => ({ n: ms.length, p50: percentile(ms, 50), p99: percentile(ms, 99), max: Math.max(...ms) });
    const statuses: Record<string, number> = {};
    for (const o of histories.values()) statuses[o.status] = (statuses[o.status] ?? 0) + 1;
    const flaky = paidMs('tok_flaky');
    return { scenario: name, orders: placed.length, visa: summary(paidMs('tok_visa')), flaky: flaky.length ? summary(flaky) : null, notFinal: pending.length, statuses };
  };

  // not reported: JIT, pools and caches warm up on these, so the first measured scenario is not penalised
  await scenario('warm-up', (i) => (i % 2 === 0 ? 'tok_visa' : 'tok_flaky'), Math.max(20, Math.round(ORDERS / 4)));
  const results = [
    await scenario('tok_visa only', () => 'tok_visa'),
    await scenario('50% tok_flaky', (i) => (i % 2 === 0 ? 'tok_visa' : 'tok_flaky')),
  ];
  const metrics = await (await fetch(`${shop.url}/metrics`)).text();
  const transient = /floodgate_payments_total\{[^}]*outcome="transient_error"[^}]*\} (\d+)/.exec(metrics)?.[1] ?? '0';
  const flakyOrders = results.reduce((n, r) => n + (r.flaky?.n ?? 0), 0) + Math.max(20, Math.round(ORDERS / 4)) / 2;

  console.log(`\nbench:payments — ${new Date().toISOString()} — ${machineNote()}`);
  console.log(`${ORDERS} orders per scenario checked out at ${RATE}/s against the all-in-one shop (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}); ${loadAtStart} at the start, ${loadNote()} at the end\n`);
  console.log('| scenario | orders | tok_visa placed→paid p50 ms | p99 ms | max ms | tok_flaky p50 ms | p99 ms | not final |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.scenario} | ${r.orders} | ${r.visa.p50} | ${r.visa.p99} | ${r.visa.max} | ${r.flaky?.p50 ?? '–'} | ${r.flaky?.p99 ?? '–'} | ${r.notFinal} |`);
  }
  console.log(`\ntransient PSP errors retried: ${transient} (tok_flaky alone accounts for ${flakyOrders * 2}: two per order, warm-up included; more means timeouts); final statuses: ${results.map((r) => `${r.scenario}: ${JSON.stringify(r.statuses)}`).join('; ')}`);
  if (values.save) log(`\nsaved ${await saveResult('payments', { date: new Date().toISOString(), machine: machineNote(), load: { start: loadAtStart, end: loadNote() }, orders: ORDERS, rate: RATE, results, transient })}`);
} finally {
  await shop.stop();
}
