import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FlashSalesClient } from './flash-sales-client.js';

export function flashSalesClientContract(name: string, fixture: () => { client: FlashSalesClient }) {
  describe(`${name} flash-sales client`, () => {
    it('when an unknown sale and reservation are asked for, then null and FLASH_SALE_RESERVATION_NOT_FOUND come back, and a release is a no-op', async () => {
      const { client } = fixture();
      expect(await client.getSale(randomUUID())).toBeNull();
      const claim = await client.claimReservation({ reservationId: randomUUID(), customerId: 'c', orderId: randomUUID() });
      expect(claim).toEqual({ ok: false, code: 'FLASH_SALE_RESERVATION_NOT_FOUND' });
      await expect(client.releaseClaim({ reservationId: randomUUID(), orderId: 'o' })).resolves.toBeUndefined();
    });
  });
}
