import { expect } from 'vitest';
import { CLIENT_TIMEOUT, NETWORK_ERROR, type Acknowledged, type Attempt, type LoadResult } from './checkout-load.js';
import type { FaultRig } from './fault-rig.js';
import { describeStuckOrders } from './stuck-orders.js';

/** DESIGN.md §5.2: where every acknowledged order must end. */
export const FINAL_STATUSES = ['paid', 'payment_failed', 'cancelled'] as const;

export interface SettledOrder extends Acknowledged {
  status: string;
  units: number;
  placedAt: number;
  paidAt?: number;
}

export interface FaultAudit {
  /** acknowledged orders that do not exist, or are not final by the deadline */
  lost: Array<{ orderId: string; key: string; status: string }>;
  /** where each lost order is stuck (order, payment and outbox rows), empty when none is */
  stuck: string;
  settled: SettledOrder[];
  /** ms from the end of the load until the last acknowledged order was final */
  settledAfterMs: number;
  /** PSP idempotency keys captured more than once */
  doubleCaptures: Array<[string, number]>;
  /** paid orders whose capture the PSP's ledger does not show exactly once */
  paidWithoutOneCapture: Array<{ orderId: string; captures: number }>;
  stock: { initial: number; onHand: number; reserved: number; unitsPaid: number };
  /** answer counts of every checkout attempt, probe and read, by status */
  statuses: Record<string, number>;
}

const statusName = (s: number) => (s === NETWORK_ERROR ? 'network error' : s === CLIENT_TIMEOUT ? 'client timeout' : String(s));

export function countStatuses(statuses: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of statuses) out[statusName(s)] = (out[statusName(s)] ?? 0) + 1;
  return out;
}

/** checkout attempts sent in [from, to), e.g. during an outage */
export const attemptsBetween = (attempts: readonly Attempt[], from: number, to: number) => attempts.filter((a) => a.sentAt >= from && a.sentAt < to);

export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** placed→paid latency (server clock: order createdAt → the history entry to `paid`) */
export const placedToPaid = (orders: SettledOrder[]) => orders.filter((o) => o.paidAt !== undefined).map((o) => o.paidAt! - o.placedAt);

/**
 * Reads back everything the load was told: every acknowledged order (as admin, polled until final
 * or the deadline), the PSP's own ledger and the stock level. Answers seen while reading count
 * toward `statuses`, so a 500 anywhere is caught.
 */
export async function auditFaultRun(rig: FaultRig, load: LoadResult, { settleWithinMs = 45_000, extraStatuses = [] as number[] } = {}): Promise<FaultAudit> {
  const seen: number[] = [...load.attempts.map((a) => a.status), ...extraStatuses];
  // within the bound, and within what is left of the test, so a slow run still reports what it saw
  const allowedMs = Math.max(0, Math.min(settleWithinMs, rig.remainingMs() - 5_000));
  if (allowedMs < settleWithinMs) rig.mark(`settle bound cut from ${settleWithinMs} to ${allowedMs} ms by the test budget`);
  const deadline = Date.now() + allowedMs;
  const pending = new Map(load.acknowledged.map((a) => [a.orderId, a]));
  const last = new Map<string, string>();
  const settled: SettledOrder[] = [];
  // a process that died during the run is the finding: say so with its last output, not as a refused connection
  const crashed = rig.crashReason();
  if (crashed) throw new Error(crashed);
  let token = await rig.adminToken();
  const auditStart = Date.now();
  let slowLogged = false;

  // at least one full pass, however little time is left, so every order is read
  for (let pass = 0; pending.size > 0 && (pass === 0 || Date.now() < deadline) && !rig.crashReason(); pass++) {
    const batch = [...pending.values()];
    for (let i = 0; i < batch.length; i += 8) {
      await Promise.all(batch.slice(i, i + 8).map(async (ack) => {
        const res = await rig.api.get(`/v1/orders/${ack.orderId}`, { token }).catch(() => ({ status: NETWORK_ERROR, body: undefined }));
        seen.push(res.status);
        if (res.status === 401) token = await rig.adminToken();
        if (res.status !== 200) return void last.set(ack.orderId, statusName(res.status));
        const order = res.body;
        last.set(ack.orderId, order.status);
        if (!(FINAL_STATUSES as readonly string[]).includes(order.status)) return;
        const paid = (order.history as Array<{ to: string; at: string }>).find((h) => h.to === 'paid');
        settled.push({
          ...ack,
          status: order.status,
          units: (order.lines as Array<{ quantity: number }>).reduce((n, l) => n + l.quantity, 0),
          placedAt: Date.parse(order.createdAt),
          ...(paid ? { paidAt: Date.parse(paid.at) } : {}),
        });
        pending.delete(ack.orderId);
      }));
    }
    // an order still not final after 10 s is waiting on a lease or a retry: say which, even if it settles later
    if (pending.size > 0 && !slowLogged && Date.now() - auditStart > 10_000) {
      slowLogged = true;
      console.log(`not final after 10 s of audit:\n${await describeStuckOrders(rig.pg.url, [...pending.keys()])}`);
    }
    if (pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  }
  const settledAfterMs = Date.now() - load.endedAt;
  const lost = [...pending.values()].map((a) => ({ orderId: a.orderId, key: a.key, status: last.get(a.orderId) ?? 'never read' }));
  rig.mark(`orders read back: ${settled.length} final, ${pending.size} not${pending.size ? ` (${[...new Set(lost.map((l) => l.status))].join(', ')})` : ''}`);
  const stuck = await describeStuckOrders(rig.pg.url, lost.map((l) => l.orderId));

  const crash = rig.crashReason();
  if (crash) throw new Error(crash);
  const ledger = await rig.psp.stats();
  const doubleCaptures = Object.entries(ledger.capturesByKey).filter(([, n]) => n > 1);
  const capturesOf = (orderId: string) => Object.entries(ledger.capturesByKey).filter(([k]) => k.includes(orderId)).reduce((n, [, c]) => n + c, 0);
  const paidWithoutOneCapture = settled.filter((o) => o.status === 'paid').map((o) => ({ orderId: o.orderId, captures: capturesOf(o.orderId) })).filter((o) => o.captures !== 1);

  const unitsPaid = settled.filter((o) => o.status === 'paid').reduce((n, o) => n + o.units, 0);
  // a failed payment's release is durable but may trail its order's status: give it the same deadline
  let level = await rig.shopper.stock(await rig.adminToken(), rig.variantId);
  while (level.reserved > 0 && lost.length === 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    level = await rig.shopper.stock(await rig.adminToken(), rig.variantId);
  }

  return {
    lost,
    stuck,
    settled,
    settledAfterMs,
    doubleCaptures,
    paidWithoutOneCapture,
    stock: { initial: rig.initialStock, onHand: level.onHand, reserved: level.reserved, unitsPaid },
    statuses: countStatuses(seen),
  };
}

/** The invariants every fault test asserts (issue 6: "Each asserts"). */
export function expectInvariants(rig: FaultRig, load: LoadResult, audit: FaultAudit) {
  expect(load.acknowledged.length, 'the load got no order through: the test proved nothing').toBeGreaterThan(0);
  expect(audit.lost, `acknowledged orders lost or not final\n${audit.stuck}`).toEqual([]);
  expect(load.gaveUp, 'checkouts that never got a definitive answer').toEqual([]);
  // stock is plentiful: a checkout refused after a fault is one the fault broke (e.g. not resumable)
  expect(load.rejected, 'checkouts refused').toEqual([]);
  expect(audit.doubleCaptures, 'idempotency keys captured more than once').toEqual([]);
  expect(audit.paidWithoutOneCapture, 'paid orders without exactly one capture in the PSP ledger').toEqual([]);
  // units sold = fall in on-hand = committed lines; nothing left held once every order is final
  expect({ fallInOnHand: audit.stock.initial - audit.stock.onHand, reserved: audit.stock.reserved }).toEqual({ fallInOnHand: audit.stock.unitsPaid, reserved: 0 });
  expect(audit.statuses['500'] ?? 0, 'answers 500').toBe(0);
  expect(rig.shop.alive(), `the shop process died:\n${rig.shop.output().slice(-3_000)}`).toBe(true);
  expect(rig.psp.alive(), 'the fake PSP process died').toBe(true);
}
