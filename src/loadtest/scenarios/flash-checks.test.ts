import { describe, expect, it } from 'vitest';
import { flashFifoCheck, flashLimitCheck, flashOversellCheck, flashResolvedCheck, flashUndersellCheck } from './flash-checks.js';
import type { FlashCustomer } from './flash-customer.js';

const customer = (n: number, outcome: FlashCustomer['outcome'], orders: Array<{ status: string; quantity?: number }> = []): FlashCustomer => ({
  n,
  reservedUnits: orders.reduce((s, o) => s + (o.quantity ?? 1), 0),
  probedLimit: false,
  overLimitAccepted: 0,
  outcome,
  orders: orders.map((o, i) => ({ orderId: `o${n}-${i}`, quantity: o.quantity ?? 1, paymentToken: 'tok_visa', status: o.status, accessToken: 't' })),
});

describe('flash sale checks', () => {
  it('when customers paid for more units than the sale had, then the oversell check fails', () => {
    const customers = [customer(1, 'paid', [{ status: 'paid', quantity: 2 }]), customer(2, 'paid', [{ status: 'paid' }])];
    expect(flashOversellCheck(2, customers, undefined).status).toBe('failed');
    expect(flashOversellCheck(3, customers, 3).status).toBe('passed');
    expect(flashOversellCheck(3, customers, 4).status).toBe('failed');
  });

  it('when someone was told sold out while units stayed unsold, then the undersell check fails', () => {
    const customers = [customer(1, 'paid', [{ status: 'paid' }]), customer(2, 'declined', [{ status: 'payment_failed' }]), customer(3, 'sold_out')];
    expect(flashUndersellCheck(2, customers, undefined).status).toBe('failed');
    expect(flashUndersellCheck(1, customers, undefined).status).toBe('passed');
    expect(flashUndersellCheck(5, [customer(1, 'paid', [{ status: 'paid' }])], undefined).status).toBe('skipped');
  });

  it('when a customer ended without an outcome, then the resolved check fails and says where it stopped', () => {
    const stuck = { ...customer(4, 'unresolved'), stoppedAt: 'reserve 500' };
    const result = flashResolvedCheck([customer(1, 'paid', [{ status: 'paid' }]), stuck]);
    expect(result).toMatchObject({ status: 'failed', detail: expect.stringContaining('reserve 500') });
    expect(flashResolvedCheck([customer(1, 'sold_out')]).status).toBe('passed');
  });

  it('when a smaller position is still waiting well after a larger one was admitted, then the FIFO check fails; within one tick it passes', () => {
    const admittedAt = { position: 10, startMs: 0, endMs: 100, admitted: true };
    expect(flashFifoCheck([admittedAt, { position: 5, startMs: 300, endMs: 310, admitted: false }], 250).status).toBe('passed');
    expect(flashFifoCheck([admittedAt, { position: 5, startMs: 400, endMs: 410, admitted: false }], 250).status).toBe('failed');
    expect(flashFifoCheck([admittedAt, { position: 11, startMs: 900, endMs: 910, admitted: false }], 250).status).toBe('passed');
  });

  it('when a customer got more than the limit, then the limit check fails', () => {
    expect(flashLimitCheck(1, [customer(1, 'paid', [{ status: 'paid', quantity: 2 }])], 0).status).toBe('failed');
    expect(flashLimitCheck(1, [{ ...customer(1, 'paid', [{ status: 'paid' }]), overLimitAccepted: 1 }], 1).status).toBe('failed');
    expect(flashLimitCheck(2, [customer(1, 'paid', [{ status: 'paid', quantity: 2 }])], 1).status).toBe('passed');
  });
});
