import { expect } from 'vitest';
import { seededRandom } from '../../loadtest/virtual-user.js';
import type { FlashShop } from './flash-shop.test-support.js';

type Plan = 'pay' | 'decline' | 'abandon' | 'refund';
interface Customer {
  token: string;
  plan: Plan;
  quantity: number;
  state: 'new' | 'waiting' | 'admitted' | 'paying' | 'done';
  ticket?: string;
  admission?: string;
  orderId?: string;
}

export interface RoundInput {
  seed: number;
  stock: number;
  customers: number;
  limit: number;
  /** at most this many ticks before the round must have drained */
  maxTicks: number;
}

const LEASE_MS = 10_000;

/**
 * One seeded flash sale: `customers` ≫ `stock` customers join, wait, reserve 1..limit units and then
 * pay (tok_visa), are declined (tok_declined), walk away (their lease expires) or are paid and then
 * cancelled by an admin while the sale runs (the unit goes back to the sale), all at once, while the clock
 * jumps randomly; an admitted customer who waits past the admission ttl loses the turn. Every tick samples the invariants; after draining, the outcome is checked.
 */
export async function runRound(shop: FlashShop, { seed, stock, customers: n, limit, maxTicks }: RoundInput) {
  const random = seededRandom(seed);
  const { saleId, variantId } = await shop.liveSale({ quantity: stock, stock: stock + 3, perCustomerLimit: limit, leaseMs: LEASE_MS, rate: 20 });
  const customers: Customer[] = Array.from({ length: n }, () => {
    const roll = random();
    return { token: shop.customer(), plan: roll < 0.5 ? 'pay' : roll < 0.6 ? 'refund' : roll < 0.8 ? 'decline' : 'abandon', quantity: 1 + Math.floor(random() * limit), state: 'new' };
  });

  const step = async (c: Customer) => {
    if (c.state === 'new') {
      const joined = await shop.join(c.token, saleId);
      expect(joined.statusCode).toBe(201);
      c.ticket = joined.json().ticket;
      c.state = 'waiting';
    } else if (c.state === 'waiting') {
      const polled = await shop.poll(c.token, saleId, c.ticket!);
      expect(polled.statusCode, polled.body).toBe(200);
      const body = polled.json();
      // sold_out: a unit may still come back (a decline, a lapsed lease); they look again later
      if (body.state === 'admitted') {
        c.admission = body.admissionToken;
        c.state = 'admitted';
      }
    } else if (c.state === 'admitted') {
      const reserved = await shop.reserve(c.token, saleId, c.admission!, c.quantity);
      if (reserved.statusCode === 201) {
        const { reservationId } = reserved.json();
        if (c.plan === 'abandon') {
          c.state = 'done';
          return;
        }
        const placed = await shop.checkout(c.token, reservationId, { paymentToken: c.plan === 'decline' ? 'tok_declined' : 'tok_visa' });
        expect(placed.statusCode).toBe(202);
        c.orderId = placed.json().orderId;
        c.state = c.plan === 'refund' ? 'paying' : 'done';
        return;
      }
      const code = reserved.json().code;
      // the admission lapsed and its turn went to the next customer: this one is done
      if (code === 'FLASH_SALE_ADMISSION_EXPIRED') {
        c.state = 'done';
        return;
      }
      // an expired token or a sale that ran out meanwhile: back to waiting; fewer left than asked: one unit less
      expect(['FLASH_SALE_NOT_ADMITTED', 'FLASH_SALE_SOLD_OUT', 'FLASH_SALE_LIMIT_REACHED']).toContain(code);
      if (code !== 'FLASH_SALE_NOT_ADMITTED') c.quantity = Math.max(1, c.quantity - 1);
      c.state = 'waiting';
    } else if (c.state === 'paying') {
      // once paid, an admin cancels it while the sale runs: refunded, and the unit is the sale's again
      if ((await shop.orderStatus(c.orderId!)) !== 'paid') return;
      const cancelled = await shop.call('POST', `/v1/admin/orders/${c.orderId}/cancel`, shop.admin);
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      c.state = 'done';
    }
  };

  const sample = async () => {
    const snapshot = await shop.counters.snapshot(saleId);
    expect(snapshot).not.toBeNull();
    // every unit is exactly one of: available, held by a live reservation, sold (paid or pending)
    expect(snapshot!.available + snapshot!.held + snapshot!.sold).toBe(stock);
    const units = await shop.units(saleId);
    expect({ available: snapshot!.available, held: snapshot!.held, sold: snapshot!.sold }).toEqual({
      available: stock - units.held - units.ordered - units.sold,
      held: units.held,
      sold: units.ordered + units.sold,
    });
    const inventory = await shop.inventoryUnits(saleId);
    expect(inventory.allocation + inventory.carvedHeld + inventory.carvedCommitted).toBe(stock);
    return { snapshot: snapshot!, units };
  };

  let ticks = 0;
  for (; ticks < maxTicks; ticks++) {
    shop.advance(200 + Math.floor(random() * 1_500));
    await shop.flashSales.admitNow();
    const active = customers.filter((c) => c.state !== 'done' && random() < 0.8);
    await Promise.all([...active.map(step), random() < 0.3 ? shop.flashSales.expireReservationsNow() : Promise.resolve(0)]);
    await shop.flashSales.expireReservationsNow();
    await shop.settle();
    const { snapshot, units } = await sample();
    const waiting = customers.some((c) => c.state !== 'done');
    const paying = customers.some((c) => c.state === 'paying');
    if (!paying && units.held + units.ordered === 0 && (!waiting || snapshot.available === 0)) break;
  }
  if (ticks >= maxTicks) {
    const states = customers.map((c) => `${c.state}/${c.plan}/${c.quantity}`).join(' ');
    throw new Error(`seed ${seed} did not drain in ${maxTicks} ticks: ${JSON.stringify(await sample())} ${JSON.stringify(await shop.counters.snapshot(saleId))} ${states}`);
  }

  const paid = await shop.paidUnits(variantId);
  const paidTotal = [...paid.values()].reduce((a, b) => a + b, 0);
  expect(paidTotal).toBeLessThanOrEqual(stock);
  for (const units of paid.values()) expect(units).toBeLessThanOrEqual(limit);
  // declined and lapsed units were sold again: nothing is left over while anyone still wanted one
  if (customers.some((c) => c.state !== 'done')) expect(paidTotal).toBe(stock);
  for (const c of customers.filter((x) => x.orderId)) expect(['paid', 'payment_failed', 'cancelled']).toContain(await shop.orderStatus(c.orderId!));
  return { paid: paidTotal, ticks };
}
