import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters } from '../../../test/support/databases.js';
import { createFlashSalesRig, type FlashSalesRig } from './flash-sales-rig.test-support.js';
import { DEFAULT_POLL_MIN_MS } from './poll-interval.js';

// a tiny poll budget, so a handful of tickets already spreads past the front
const POLL_BUDGET_PER_SECOND = 4;

for (const adapter of await databaseAdapters()) {
  describe.skipIf(!adapter.available)(`flash-sale join answer (${adapter.name})`, () => {
    let rig: FlashSalesRig;
    beforeAll(async () => {
      rig = await createFlashSalesRig(adapter, { settings: { pollBudgetPerSecond: POLL_BUDGET_PER_SECOND } });
    });
    afterAll(() => rig?.dispose());

    it('when customers join, then each answer says when to poll first by the poll model: the front at once-a-second, the back later, as its first poll would say', async () => {
      const { saleId } = await rig.liveSale({ quantity: 5 });
      const customers = Array.from({ length: 30 }, () => rig.customer());
      const joins = [];
      for (const c of customers) joins.push((await rig.join(c, saleId)).json() as { ticket: string; position: number; retryAfterMs: number });
      expect(joins[0]).toEqual({ ticket: expect.any(String), position: 1, retryAfterMs: DEFAULT_POLL_MIN_MS });
      const last = joins[29]!;
      expect(last.retryAfterMs).toBeGreaterThan(DEFAULT_POLL_MIN_MS);
      // the joined ticket's first poll (past the frontier cache) answers the same interval
      rig.advance(300);
      const polled = (await rig.poll(customers[29]!, saleId, last.ticket)).json();
      expect(polled).toMatchObject({ state: 'waiting', position: 30, retryAfterMs: last.retryAfterMs });
      // joining again answers the same ticket and the same advice
      expect((await rig.join(customers[29]!, saleId)).json()).toEqual(last);
    });

    it('when a client reads the OpenAPI document, then the join answer documents retryAfterMs', async () => {
      const doc = (await rig.call('GET', '/v1/openapi.json')).json();
      const joined = doc.paths['/v1/flash-sales/{id}/queue'].post.responses['201'].content['application/json'].schema;
      expect(joined.required).toEqual(expect.arrayContaining(['ticket', 'position', 'retryAfterMs']));
      expect(joined.properties.retryAfterMs).toMatchObject({ type: 'integer', description: expect.stringContaining('first poll') });
    });

    it('when an admitted customer joins again, then the answer says to poll at the front\'s interval', async () => {
      const { saleId } = await rig.liveSale({ quantity: 5 });
      const customer = rig.customer();
      await rig.admit(customer, saleId);
      rig.advance(300);
      expect((await rig.join(customer, saleId)).json()).toMatchObject({ position: 1, retryAfterMs: DEFAULT_POLL_MIN_MS });
    });
  });
}
