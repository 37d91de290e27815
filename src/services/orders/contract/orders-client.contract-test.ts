import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OrdersClient } from './orders-client.js';

export function ordersClientContract(name: string, fixture: () => { client: OrdersClient }) {
  describe(`${name} orders client`, () => {
    it('when an unknown order is asked for, then the answer is null', async () => {
      expect(await fixture().client.getOrder(randomUUID())).toBeNull();
    });
  });
}
