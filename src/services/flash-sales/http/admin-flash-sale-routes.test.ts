import { sql } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters } from '../../../../test/support/databases.js';
import { createFlashSalesRig, type FlashSalesRig } from '../flash-sales-rig.test-support.js';

for (const adapter of await databaseAdapters()) {
  describe.skipIf(!adapter.available)(`flash-sale admin routes (${adapter.name})`, () => {
    let rig: FlashSalesRig;
    beforeAll(async () => {
      rig = await createFlashSalesRig(adapter);
    });
    afterAll(() => rig?.dispose());

    const auditActions = async (saleId: string) => {
      const { rows } = await sql<{ action: string }>`select action from audit.entries where target_type = 'flash_sale' and target_id = ${saleId} order by id`.execute(rig.db.kysely);
      return rows.map((r) => r.action);
    };

    it('when an admin creates a sale starting now, then 201, it is live, its units are carved out and the creation is audited', async () => {
      const variantId = await rig.variant(30);
      const created = await rig.createSale(variantId, { quantity: 12, reservationLeaseMs: 120_000, allowGuests: true });
      expect(created.statusCode).toBe(201);
      const sale = created.json();
      expect(sale).toMatchObject({ variantId, quantity: 12, price: { amount: 999, currency: 'USD' }, status: 'live', paused: false, reservationLeaseMs: 120_000, admissionTtlMs: 60_000, allowGuests: true });
      expect(created.headers.location).toBe(`/v1/admin/flash-sales/${sale.id}`);
      expect(await rig.available(variantId)).toBe(18);
      expect(await rig.snapshot(sale.id)).toMatchObject({ available: 12, held: 0, sold: 0 });
      expect(await auditActions(sale.id)).toEqual(['flash_sale.created']);
    });

    it('when a sale starts later, then it is scheduled, and the status worker makes it live (counters loaded) once its start has come', async () => {
      const variantId = await rig.variant(10);
      const startsAt = new Date(rig.now().getTime() + 60_000);
      const sale = (await rig.createSale(variantId, { startsAt: startsAt.toISOString(), quantity: 4 })).json();
      expect(sale.status).toBe('scheduled');
      expect(await rig.snapshot(sale.id)).toBeNull();
      expect((await rig.call('GET', `/v1/flash-sales/${sale.id}`)).json()).toMatchObject({ status: 'scheduled', remaining: 4 });
      rig.advance(60_000);
      await rig.flashSales.statusPassNow();
      expect((await rig.call('GET', `/v1/admin/flash-sales/${sale.id}`, rig.admin)).json()).toMatchObject({ status: 'live', counters: { available: 4, held: 0 } });
    });

    it('when an admin lists sales, then newest first, page by page with a cursor', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await rig.liveSale({ quantity: 1, stock: 1 })).saleId);
      const first = (await rig.call('GET', '/v1/admin/flash-sales?limit=2', rig.admin)).json();
      expect(first.items.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
      const second = (await rig.call('GET', `/v1/admin/flash-sales?limit=2&cursor=${first.nextCursor}`, rig.admin)).json();
      expect(second.items[0].id).toBe(ids[0]);
      const bad = await rig.call('GET', '/v1/admin/flash-sales?cursor=nope', rig.admin);
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'FLASH_SALE_INVALID_CURSOR' });
    });

    it('when an admin pauses and resumes a sale, then the flag follows, reservations are refused meanwhile, and both are audited', async () => {
      const { saleId } = await rig.liveSale();
      const customer = rig.customer();
      const admission = await rig.admit(customer, saleId);
      const paused = await rig.call('POST', `/v1/admin/flash-sales/${saleId}/pause`, rig.admin);
      expect(paused.statusCode).toBe(200);
      expect(paused.json()).toMatchObject({ paused: true, status: 'live' });
      const refused = await rig.reserve(customer, saleId, { admission });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'FLASH_SALE_PAUSED' });
      // joins still queue while paused, but nobody is admitted
      const waiter = rig.customer();
      const joined = await rig.join(waiter, saleId);
      expect(joined.statusCode).toBe(201);
      const stateOfWaiter = async () => {
        rig.advance(1_000);
        await rig.flashSales.admitNow();
        rig.advance(300);
        return (await rig.poll(waiter, saleId, joined.json().ticket)).json().state;
      };
      expect(await stateOfWaiter()).toBe('waiting');
      expect(await stateOfWaiter()).toBe('waiting');
      expect((await rig.call('POST', `/v1/admin/flash-sales/${saleId}/resume`, rig.admin)).json()).toMatchObject({ paused: false });
      expect(await stateOfWaiter()).toBe('admitted');
      expect((await rig.reserve(customer, saleId, { admission })).statusCode).toBe(201);
      expect(await auditActions(saleId)).toEqual(['flash_sale.created', 'flash_sale.paused', 'flash_sale.resumed']);
    });

    it('when an admin ends a sale, then it is ended, joins and reservations are refused, and the unsold units are back on the shelf', async () => {
      const { saleId, variantId } = await rig.liveSale({ quantity: 6, stock: 10 });
      const customer = rig.customer();
      const admission = await rig.admit(customer, saleId);
      expect((await rig.reserve(customer, saleId, { admission, quantity: 2 })).statusCode).toBe(201);
      expect(await rig.available(variantId)).toBe(4);
      const ended = await rig.call('POST', `/v1/admin/flash-sales/${saleId}/end`, rig.admin);
      expect(ended.statusCode).toBe(200);
      expect(ended.json()).toMatchObject({ status: 'ended', allocationReleased: true });
      // the whole allocation goes back: a reservation not yet ordered holds no inventory of its own
      expect(await rig.available(variantId)).toBe(10);
      expect((await rig.join(rig.customer(), saleId)).json()).toMatchObject({ code: 'FLASH_SALE_ENDED' });
      expect((await rig.reserve(customer, saleId, { admission })).json()).toMatchObject({ code: 'FLASH_SALE_ENDED' });
      expect((await rig.call('GET', `/v1/flash-sales/${saleId}`)).json()).toMatchObject({ status: 'ended', remaining: 0 });
      // ending again is harmless; pausing an ended sale is refused
      expect((await rig.call('POST', `/v1/admin/flash-sales/${saleId}/end`, rig.admin)).statusCode).toBe(200);
      expect((await rig.call('POST', `/v1/admin/flash-sales/${saleId}/pause`, rig.admin)).json()).toMatchObject({ code: 'FLASH_SALE_ENDED' });
      expect(await rig.available(variantId)).toBe(10);
    });

    it('when a sale reaches its end time, then the status worker ends it and gives the allocation back', async () => {
      const { saleId, variantId } = await rig.liveSale({ quantity: 3, stock: 5, body: { endsAt: new Date(rig.now().getTime() + 10_000).toISOString() } });
      expect(await rig.available(variantId)).toBe(2);
      rig.advance(10_000);
      // past ends_at and before the worker's pass, the sale already refuses
      expect((await rig.join(rig.customer(), saleId)).json()).toMatchObject({ code: 'FLASH_SALE_ENDED' });
      await rig.flashSales.statusPassNow();
      expect((await rig.call('GET', `/v1/admin/flash-sales/${saleId}`, rig.admin)).json()).toMatchObject({ status: 'ended', allocationReleased: true });
      expect(await rig.available(variantId)).toBe(5);
    });

    it('when the carve-out is there, then nobody else can reserve the carved units through inventory (what checkout does)', async () => {
      const { variantId } = await rig.liveSale({ quantity: 7, stock: 9 });
      const other = await rig.inventory.client.reserve({ reference: uuidv7(), lines: [{ variantId, quantity: 3 }], ttlMs: 60_000 });
      expect(other).toMatchObject({ ok: false, code: 'INVENTORY_INSUFFICIENT', available: 2 });
    });

    it.each([
      ['a zero quantity', { quantity: 0 }, 'body.quantity'],
      ['a negative quantity', { quantity: -3 }, 'body.quantity'],
      ['an end before the start', { endsAt: '2020-01-01T00:00:00Z' }, 'body.endsAt'],
      ['a zero limit', { perCustomerLimit: 0 }, 'body.perCustomerLimit'],
      ['a limit above the quantity', { perCustomerLimit: 6 }, 'body.perCustomerLimit'],
      ['a zero admission rate', { admissionRatePerSecond: 0 }, 'body.admissionRatePerSecond'],
      ['a lowercase currency', { price: { amount: 999, currency: 'usd' } }, 'body.price.currency'],
      ['a fractional price', { price: { amount: 9.99, currency: 'USD' } }, 'body.price.amount'],
      ['a date without offset', { startsAt: '2030-01-01 10:00' }, 'body.startsAt'],
      ['an unknown field', { discount: 10 }, 'body.discount'],
      ['a variant id that is not a uuid', { variantId: 'abc' }, 'body.variantId'],
    ])('when the body has %s, then 400 naming the field and nothing is written', async (_label, override, field) => {
      const variantId = await rig.variant(10);
      const before = await rig.rows();
      const res = await rig.createSale(variantId, override);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      expect(await rig.rows()).toEqual(before);
      expect(await rig.available(variantId)).toBe(10);
    });

    it.each([
      ['more units than the variant has', { quantity: 11 }, 409, 'FLASH_SALE_INSUFFICIENT_STOCK', 'body.quantity'],
      ['another currency than the variant', { price: { amount: 999, currency: 'EUR' } }, 422, 'FLASH_SALE_CURRENCY_MISMATCH', 'body.price.currency'],
      ['an unknown variant', { variantId: uuidv7() }, 422, 'FLASH_SALE_VARIANT_NOT_FOUND', 'body.variantId'],
      ['an end already past', { startsAt: new Date(Date.now() - 7_200_000).toISOString(), endsAt: new Date(Date.now() - 3_600_000).toISOString() }, 400, 'VALIDATION_FAILED', 'body.endsAt'],
    ])('when the sale asks for %s (%j), then %i %s naming the field, no sale row and no carve', async (_label, override, status, code, field) => {
      const variantId = await rig.variant(10);
      const before = await rig.rows();
      const res = await rig.createSale(variantId, override);
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ code });
      expect(res.json().errors).toEqual([expect.objectContaining({ field })]);
      expect(await rig.rows()).toEqual(before);
      expect(await rig.available(variantId)).toBe(10);
    });

    it('when the caller is anonymous or a customer, then 401 or 403 and nothing is written', async () => {
      const variantId = await rig.variant(10);
      const before = await rig.rows();
      const body = { variantId, price: { amount: 1, currency: 'USD' }, quantity: 1, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 60_000).toISOString(), perCustomerLimit: 1, admissionRatePerSecond: 1 };
      expect((await rig.call('POST', '/v1/admin/flash-sales', undefined, body)).statusCode).toBe(401);
      expect((await rig.call('POST', '/v1/admin/flash-sales', rig.customer(), body)).statusCode).toBe(403);
      expect((await rig.call('GET', '/v1/admin/flash-sales', rig.customer())).statusCode).toBe(403);
      const { saleId } = await rig.liveSale();
      expect((await rig.call('POST', `/v1/admin/flash-sales/${saleId}/end`, rig.customer())).statusCode).toBe(403);
      expect((await rig.rows()).sales).toBe(before.sales + 1);
      expect((await rig.call('GET', `/v1/flash-sales/${saleId}`)).json()).toMatchObject({ status: 'live' });
    });

    it('when a sale id is unknown or malformed, then 404 FLASH_SALE_NOT_FOUND', async () => {
      for (const id of [uuidv7(), 'not-a-uuid']) {
        expect((await rig.call('GET', `/v1/admin/flash-sales/${id}`, rig.admin)).json()).toMatchObject({ code: 'FLASH_SALE_NOT_FOUND' });
        expect((await rig.call('POST', `/v1/admin/flash-sales/${id}/pause`, rig.admin)).statusCode).toBe(404);
        expect((await rig.call('POST', `/v1/admin/flash-sales/${id}/end`, rig.admin)).statusCode).toBe(404);
        expect((await rig.call('GET', `/v1/flash-sales/${id}`)).statusCode).toBe(404);
      }
    });
  });
}
