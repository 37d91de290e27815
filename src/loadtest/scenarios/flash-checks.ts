import type { CheckResult } from '../scenario.js';
import type { FlashCustomer, PollObservation } from './flash-customer.js';

const SOLD = new Set(['paid', 'fulfilled']);

export const paidUnits = (customers: readonly FlashCustomer[]) =>
  customers.reduce((sum, c) => sum + c.orders.filter((o) => SOLD.has(o.status)).reduce((s, o) => s + o.quantity, 0), 0);

/**
 * Paid units never exceed the sale's stock: counted from the customers' own orders, and from what the
 * shop itself reports through the admin API (the truth in PostgreSQL) when it reports it.
 */
export function flashOversellCheck(stock: number, customers: readonly FlashCustomer[], shopSold: number | undefined): CheckResult {
  const name = 'flash sale: no oversell';
  const paid = paidUnits(customers);
  const problems: string[] = [];
  if (paid > stock) problems.push(`customers paid for ${paid} units of ${stock}`);
  if (shopSold !== undefined && shopSold > stock) problems.push(`the admin API reports ${shopSold} units sold of ${stock}`);
  if (problems.length > 0) return { name, status: 'failed', detail: problems.join('; ') };
  const shop = shopSold === undefined ? 'the admin API reported no sold count' : `the admin API reports ${shopSold} sold`;
  return { name, status: 'passed', detail: `${paid} of ${stock} units paid by customers; ${shop}` };
}

/**
 * When more customers came than there were units, every unit ends sold: a declined payment or a lapsed
 * reservation gives its unit back and someone else still waiting buys it.
 */
export function flashUndersellCheck(stock: number, customers: readonly FlashCustomer[], shopSold: number | undefined): CheckResult {
  const name = 'flash sale: no undersell';
  const soldOut = customers.filter((c) => c.outcome === 'sold_out').length;
  const declinedUnits = customers.flatMap((c) => c.orders).filter((o) => !SOLD.has(o.status)).reduce((s, o) => s + o.quantity, 0);
  const paid = shopSold ?? paidUnits(customers);
  if (soldOut === 0) {
    return { name, status: 'skipped', detail: `demand did not exceed stock (nobody was told sold out; ${paid} of ${stock} sold)` };
  }
  return paid === stock
    ? { name, status: 'passed', detail: `all ${stock} units sold; ${declinedUnits} declined units went back and were sold again; ${soldOut} customers told sold out` }
    : { name, status: 'failed', detail: `${stock - paid} of ${stock} units unsold while ${soldOut} customers were told sold out (${declinedUnits} units came back from declined payments)` };
}

export function flashResolvedCheck(customers: readonly FlashCustomer[]): CheckResult {
  const name = 'flash sale: every customer resolved';
  const counts = { paid: 0, declined: 0, sold_out: 0, unresolved: 0 };
  for (const c of customers) counts[c.outcome] += 1;
  const summary = `${counts.paid} paid, ${counts.declined} declined, ${counts.sold_out} sold out`;
  if (counts.unresolved === 0) return { name, status: 'passed', detail: `${customers.length} customers: ${summary}` };
  const reasons = new Map<string, number>();
  for (const c of customers.filter((x) => x.outcome === 'unresolved')) reasons.set(c.stoppedAt ?? 'still waiting', (reasons.get(c.stoppedAt ?? 'still waiting') ?? 0) + 1);
  const why = [...reasons].slice(0, 5).map(([r, n]) => `${r}: ${n}`).join(', ');
  return { name, status: 'failed', detail: `${counts.unresolved} of ${customers.length} customers unresolved (${why}); ${summary}` };
}

/**
 * FIFO within one tick: once a poll saw position q admitted, no later poll (starting more than one
 * admission tick after it ended) may see a smaller position still waiting — the frontier only moves
 * forward. Observations carry their request's start and end, so latency never counts against the shop.
 */
export function flashFifoCheck(polls: readonly PollObservation[], tickMs: number): CheckResult {
  const name = 'flash sale: FIFO within one tick';
  const admitted = polls.filter((p) => p.admitted).sort((a, b) => a.endMs - b.endMs);
  const waiting = polls.filter((p) => !p.admitted && Number.isFinite(p.position)).sort((a, b) => a.startMs - b.startMs);
  let i = 0;
  let highest = 0;
  let highestAt = 0;
  const violations: string[] = [];
  for (const w of waiting) {
    for (; i < admitted.length && admitted[i]!.endMs + tickMs < w.startMs; i++) {
      if (admitted[i]!.position > highest) [highest, highestAt] = [admitted[i]!.position, admitted[i]!.endMs];
    }
    if (highest > w.position) violations.push(`position ${w.position} still waiting ${Math.round(w.startMs - highestAt)} ms after ${highest} was admitted`);
  }
  if (admitted.length === 0) return { name, status: 'skipped', detail: 'nobody was admitted' };
  return violations.length === 0
    ? { name, status: 'passed', detail: `${admitted.length} admissions and ${waiting.length} waiting answers, none out of order by more than ${tickMs} ms` }
    : { name, status: 'failed', detail: `${violations.length} waiting answers behind a later admission: ${violations.slice(0, 3).join('; ')}` };
}

export function flashLimitCheck(limit: number, customers: readonly FlashCustomer[], probes: number): CheckResult {
  const name = 'flash sale: per-customer limit held';
  const over = customers.filter((c) => c.reservedUnits > limit || c.overLimitAccepted > 0);
  if (over.length > 0) {
    const sample = over.slice(0, 3).map((c) => `customer #${c.n} got ${c.reservedUnits + c.overLimitAccepted} units`).join(', ');
    return { name, status: 'failed', detail: `${over.length} customers got more than ${limit}: ${sample}` };
  }
  const holders = customers.filter((c) => c.reservedUnits > 0).length;
  return { name, status: 'passed', detail: `${holders} customers reserved, none above ${limit}; ${probes} tried one unit past the limit and were refused` };
}
