import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters } from '../../../../test/support/databases.js';
import { createFlashSalesRig, type FlashSalesRig } from '../flash-sales-rig.test-support.js';

// the "Bad input" list, in this service's part: every refusal is a 4xx problem+json, and
// neither PostgreSQL nor the sale's counters move
for (const adapter of await databaseAdapters()) {
  describe.skipIf(!adapter.available)(`flash-sale bad input (${adapter.name})`, () => {
    let rig: FlashSalesRig;
    beforeAll(async () => {
      rig = await createFlashSalesRig(adapter);
    });
    afterAll(() => rig?.dispose());

    const footprint = async (saleId: string) => ({ rows: await rig.rows(), counters: await rig.snapshot(saleId) });
    const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, code: string) => {
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code });
    };

    it('when a customer joins a sale that is not live yet, then 409 FLASH_SALE_NOT_LIVE and nothing is queued', async () => {
      const variantId = await rig.variant(5);
      const sale = (await rig.createSale(variantId, { quantity: 2, startsAt: new Date(rig.now().getTime() + 60_000).toISOString() })).json();
      const before = await footprint(sale.id);
      expectProblem(await rig.join(rig.customer(), sale.id), 409, 'FLASH_SALE_NOT_LIVE');
      expect(await footprint(sale.id)).toEqual(before);
    });

    it('when a guest joins a sale for customers, then 403 FLASH_SALE_GUESTS_EXCLUDED and nothing is queued; a sale open to guests lets them in', async () => {
      const { saleId } = await rig.liveSale();
      const before = await footprint(saleId);
      expectProblem(await rig.join(rig.customer('guest'), saleId), 403, 'FLASH_SALE_GUESTS_EXCLUDED');
      expect(await footprint(saleId)).toEqual(before);
      const open = await rig.liveSale({ body: { allowGuests: true } });
      expect((await rig.join(rig.customer('guest'), open.saleId)).statusCode).toBe(201);
    });

    it('when nobody is logged in, then joining, polling and reserving answer 401', async () => {
      const { saleId } = await rig.liveSale();
      const before = await footprint(saleId);
      expect((await rig.call('POST', `/v1/flash-sales/${saleId}/queue`)).statusCode).toBe(401);
      expect((await rig.call('GET', `/v1/flash-sales/${saleId}/queue/1.AAAAAAAAAAAAAAAAAAAAAA`)).statusCode).toBe(401);
      expect((await rig.call('POST', `/v1/flash-sales/${saleId}/reservations`, undefined, { quantity: 1 }, { 'idempotency-key': 'anonymous-0001' })).statusCode).toBe(401);
      expect(await footprint(saleId)).toEqual(before);
    });

    it('when a ticket is forged, malformed, another customer\'s or another sale\'s, then 403 FLASH_SALE_TICKET_INVALID and nothing moves', async () => {
      const { saleId } = await rig.liveSale();
      const other = await rig.liveSale();
      const ada = rig.customer();
      const { ticket, position } = (await rig.join(ada, saleId)).json();
      const adaOther = (await rig.join(ada, other.saleId)).json().ticket;
      const mac = ticket.split('.')[1] as string;
      const flipped = `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
      const before = await footprint(saleId);
      const cases: Array<[string, string]> = [
        ['forged mac', `${position}.${flipped}`],
        ['moved position', `${position + 5}.${mac}`],
        ['malformed', 'not-a-ticket'],
        ['another sale\'s ticket', adaOther],
      ];
      for (const [, forged] of cases) expectProblem(await rig.poll(ada, saleId, forged), 403, 'FLASH_SALE_TICKET_INVALID');
      expectProblem(await rig.poll(rig.customer(), saleId, ticket), 403, 'FLASH_SALE_TICKET_INVALID');
      expect(await footprint(saleId)).toEqual(before);
    });

    it('when a ticket outlived its sale, then 409 FLASH_SALE_TICKET_EXPIRED', async () => {
      const { saleId } = await rig.liveSale();
      const ada = rig.customer();
      const { ticket } = (await rig.join(ada, saleId)).json();
      await rig.call('POST', `/v1/admin/flash-sales/${saleId}/end`, rig.admin);
      expectProblem(await rig.poll(ada, saleId, ticket), 409, 'FLASH_SALE_TICKET_EXPIRED');
    });

    it('when a reservation comes without, with a foreign, another sale\'s, a forged or an expired admission token, then 403 FLASH_SALE_NOT_ADMITTED and nothing moves', async () => {
      const { saleId } = await rig.liveSale();
      const other = await rig.liveSale();
      const [ada, bob] = [rig.customer(), rig.customer()];
      const adaToken = await rig.admit(ada, saleId);
      const bobToken = await rig.admit(bob, saleId);
      const adaOtherSale = await rig.admit(ada, other.saleId);
      const selfSigned = await new SignJWT({ sale: saleId }).setProtectedHeader({ alg: 'HS256' }).setSubject(ada.split(':')[1] as string).setAudience(`flash-sale:${saleId}`).setIssuer('floodgate-flash-sales').setExpirationTime('1h').sign(new Uint8Array(32));
      const before = await footprint(saleId);
      expectProblem(await rig.reserve(ada, saleId, {}), 403, 'FLASH_SALE_NOT_ADMITTED');
      for (const token of [bobToken, adaOtherSale, selfSigned, 'garbage']) expectProblem(await rig.reserve(ada, saleId, { admission: token }), 403, 'FLASH_SALE_NOT_ADMITTED');
      rig.advance(61_000);
      expectProblem(await rig.reserve(ada, saleId, { admission: adaToken }), 403, 'FLASH_SALE_NOT_ADMITTED');
      expect(await footprint(saleId)).toEqual(before);
    });

    it('when an admitted customer reserves only after the admission lapsed, then 409 FLASH_SALE_ADMISSION_EXPIRED, even with a freshly polled token, and nothing moves', async () => {
      const { saleId } = await rig.liveSale();
      const ada = rig.customer();
      await rig.admit(ada, saleId);
      rig.advance(61_000);
      // the lapse reopens admission on the next tick; a poll still mints a token, which cannot revive the turn
      await rig.flashSales.admitNow();
      const fresh = await rig.admit(ada, saleId);
      const before = await footprint(saleId);
      expectProblem(await rig.reserve(ada, saleId, { admission: fresh }), 409, 'FLASH_SALE_ADMISSION_EXPIRED');
      expect(await footprint(saleId)).toEqual(before);
    });

    it.each([
      ['zero units', { quantity: 0 }, 'body.quantity'],
      ['negative units', { quantity: -1 }, 'body.quantity'],
      ['a fraction', { quantity: 1.5 }, 'body.quantity'],
      ['a string', { quantity: '1' }, 'body.quantity'],
      ['more than the per-customer limit', { quantity: 3 }, 'body.quantity'],
    ])('when a reservation asks for %s, then 400 naming the field and nothing moves', async (_label, { quantity }, field) => {
      const { saleId } = await rig.liveSale();
      const ada = rig.customer();
      const admission = await rig.admit(ada, saleId);
      const before = await footprint(saleId);
      const res = await rig.reserve(ada, saleId, { admission, quantity });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect((res.json() as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ field })]);
      expect(await footprint(saleId)).toEqual(before);
    });

    it('when a reservation has no Idempotency-Key, then 400 IDEMPOTENCY_KEY_REQUIRED and nothing moves', async () => {
      const { saleId } = await rig.liveSale();
      const ada = rig.customer();
      const admission = await rig.admit(ada, saleId);
      const before = await footprint(saleId);
      expectProblem(await rig.call('POST', `/v1/flash-sales/${saleId}/reservations`, ada, { quantity: 1 }, { 'admission-token': admission }), 400, 'IDEMPOTENCY_KEY_REQUIRED');
      expect(await footprint(saleId)).toEqual(before);
    });
  });
}
