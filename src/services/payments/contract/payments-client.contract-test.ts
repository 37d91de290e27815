import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PaymentsClient } from './payments-client.js';

export function paymentsClientContract(name: string, fixture: () => { client: PaymentsClient }) {
  describe(`${name} payments client`, () => {
    it('when an order payments has not heard of is asked about and refunded, then it may still capture and there is nothing to refund', async () => {
      const { client } = fixture();
      const orderId = randomUUID();
      expect(await client.paymentStatus(orderId)).toEqual({ status: 'none', mayCapture: true });
      expect(await client.refund({ orderId, reason: 'test' })).toMatchObject({ status: 'nothing_to_refund' });
    });
  });
}
