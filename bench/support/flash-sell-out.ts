import { setTimeout as sleep } from 'node:timers/promises';

export interface SellOutInput {
  url: string;
  saleId: string;
  /** in queue order */
  customers: ReadonlyArray<{ token: string; ticket: string; position: number }>;
  workers: number;
  adminToken: string;
  units: number;
  log: (m: string) => void;
}

export interface StepFigures {
  count: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

export interface SellOut {
  summary: string;
  figures: { steps: Record<string, StepFigures>; soldOutSeconds: number | null; finalSeconds: number | null; orders: Record<string, number> };
  paidUnits: number;
  /** admitted customers with their admission token, for measuring the sold-out answer afterwards */
  admissionTokens: Array<{ token: string; admissionToken: string }>;
}

const FINAL = new Set(['paid', 'payment_failed', 'cancelled', 'refunded', 'fulfilled']);
const ADDRESS = { name: 'Bench Mark', line1: '1 Bench Street', city: 'Testville', postalCode: '10115', country: 'DE' };

function figures(samples: { ms: number[]; statuses: Map<string, number>; first: number; last: number }): StepFigures {
  const sorted = [...samples.ms].sort((a, b) => a - b);
  const at = (p: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
  const seconds = Math.max((samples.last - samples.first) / 1000, 0.001);
  return { count: sorted.length, perSecond: Math.round((sorted.length / seconds) * 10) / 10, p50: at(0.5), p99: at(0.99), statuses: Object.fromEntries(samples.statuses) };
}

/**
 * Walks the line in position order with `workers` customers at a time: each polls as told until
 * admitted, reserves one unit, checks out with tok_visa; stops taking customers once the sale answers
 * sold out, then follows every order to a final status. Latency per step, in the shop's clock of this process.
 */
export async function driveSellOut(input: SellOutInput): Promise<SellOut> {
  const base = `${input.url}/v1/flash-sales/${input.saleId}`;
  type Samples = { ms: number[]; statuses: Map<string, number>; first: number; last: number };
  const steps = new Map<string, Samples>();
  const timed = async (step: string, url: string, init: RequestInit) => {
    const started = performance.now();
    const res = await fetch(url, init);
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    const ended = performance.now();
    const s: Samples = steps.get(step) ?? { ms: [], statuses: new Map<string, number>(), first: started, last: ended };
    steps.set(step, s);
    s.ms.push(ended - started);
    s.statuses.set(String(res.status), (s.statuses.get(String(res.status)) ?? 0) + 1);
    s.last = ended;
    return { status: res.status, body };
  };
  const headers = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra });

  const started = performance.now();
  let soldOutAt = undefined as number | undefined;
  let next = 0;
  const orders: Array<{ orderId: string; token: string; status: string }> = [];
  const admissionTokens: SellOut['admissionTokens'] = [];

  const serve = async (c: SellOutInput['customers'][number]) => {
    for (;;) {
      const poll = await timed('poll', `${base}/queue/${encodeURIComponent(c.ticket)}`, { headers: headers(c.token) });
      if (poll.body.state === 'sold_out') return void (soldOutAt ??= performance.now());
      if (poll.body.state !== 'admitted') {
        if (soldOutAt !== undefined) return;
        await sleep(typeof poll.body.retryAfterMs === 'number' ? poll.body.retryAfterMs : 1_000);
        continue;
      }
      const admission = String(poll.body.admissionToken);
      admissionTokens.push({ token: c.token, admissionToken: admission });
      const reserved = await timed('reserve', `${base}/reservations`, {
        method: 'POST',
        headers: headers(c.token, { 'admission-token': admission, 'idempotency-key': `bench-reserve-${c.position}` }),
        body: JSON.stringify({ quantity: 1 }),
      });
      if (reserved.status === 409) return void (soldOutAt ??= performance.now());
      if (reserved.status !== 201) return;
      const placed = await timed('checkout', `${input.url}/v1/checkout`, {
        method: 'POST',
        headers: headers(c.token, { 'idempotency-key': `bench-checkout-${c.position}` }),
        body: JSON.stringify({ reservationId: reserved.body.reservationId, email: 'bench@example.com', shippingAddress: ADDRESS, paymentToken: 'tok_visa' }),
      });
      if (placed.status === 202) orders.push({ orderId: String(placed.body.orderId), token: c.token, status: 'pending' });
      return;
    }
  };
  await Promise.all(Array.from({ length: input.workers }, async () => {
    for (let i = next++; i < input.customers.length && soldOutAt === undefined; i = next++) await serve(input.customers[i]!);
  }));
  input.log(`  sold out after ${soldOutAt === undefined ? 'never' : ((soldOutAt - started) / 1000).toFixed(1)} s; following ${orders.length} orders`);

  const deadline = performance.now() + 120_000;
  let pending = orders;
  while (pending.length > 0 && performance.now() < deadline) {
    for (let i = 0; i < pending.length; i += 32) {
      await Promise.all(pending.slice(i, i + 32).map(async (o) => {
        const seen = await timed('order.view', `${input.url}/v1/orders/${o.orderId}`, { headers: headers(o.token) });
        if (typeof seen.body.status === 'string') o.status = seen.body.status;
      }));
    }
    pending = pending.filter((o) => !FINAL.has(o.status));
    if (pending.length > 0) await sleep(250);
  }
  const finalAt = pending.length === 0 ? performance.now() : undefined;
  const byStatus: Record<string, number> = {};
  for (const o of orders) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
  const stepFigures = Object.fromEntries([...steps].map(([k, v]) => [k, figures(v)]));
  const soldOutSeconds = soldOutAt === undefined ? null : Math.round((soldOutAt - started) / 100) / 10;
  const finalSeconds = finalAt === undefined ? null : Math.round((finalAt - started) / 100) / 10;
  const lines = Object.entries(stepFigures).map(([k, f]) => `  ${k.padEnd(10)} ${String(f.count).padStart(7)} requests  ${String(f.perSecond).padStart(8)}/s  p50 ${f.p50} ms  p99 ${f.p99} ms  ${JSON.stringify(f.statuses)}`);
  const summary = [
    `sell-out (${input.workers} customers at a time, in queue order, polling as told):`,
    ...lines,
    `  sold out ${soldOutSeconds ?? 'NEVER'} s after the doors opened; every order final ${finalSeconds ?? 'NOT within 120'} s after (${Object.entries(byStatus).map(([s, n]) => `${s} ${n}`).join(', ')})`,
  ].join('\n');
  return { summary, figures: { steps: stepFigures, soldOutSeconds, finalSeconds, orders: byStatus }, paidUnits: byStatus.paid ?? 0, admissionTokens };
}
