import { describe, expect, it } from 'vitest';
import { useTestShop } from '../support/shop.js';

/**
 * The whole shop, one process, real HTTP: a flash sale's units are carved out of the variant's stock
 * when the sale is created, so a normal cart checkout cannot sell them; ending the sale gives the
 * unsold ones back. Then a shopper goes join → poll (the real admission ticker) → reserve.
 */
describe('flash sale in the running shop', () => {
  const ctx = useTestShop('pglite');

  const createSale = (variantId: string, quantity: number) =>
    ctx.api.post(
      '/v1/admin/flash-sales',
      {
        variantId,
        price: { amount: 999, currency: 'USD' },
        quantity,
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        perCustomerLimit: 2,
        admissionRatePerSecond: 50,
      },
      { token: ctx.admin },
    );

  it('when a sale holds most of the stock, then cart checkout cannot sell the carved units, and ending the sale gives them back', async () => {
    const { api, shopper, admin } = ctx;
    const product = await shopper.createProduct(admin, { stock: 5 });
    const sale = await createSale(product.variantId, 4);
    expect(sale.status).toBe(201);
    expect(await shopper.stock(admin, product.variantId)).toMatchObject({ onHand: 5, reserved: 4, available: 1 });

    const customer = await shopper.register();
    const refused = await shopper.checkout(customer.token, await shopper.cartWith(customer.token, product.variantId, 2));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CHECKOUT_INSUFFICIENT_STOCK' });

    expect((await api.post(`/v1/admin/flash-sales/${sale.body.id}/end`, undefined, { token: admin })).body).toMatchObject({ status: 'ended' });
    expect(await shopper.stock(admin, product.variantId)).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    const sold = await shopper.checkout(customer.token, await shopper.cartWith(customer.token, product.variantId, 2));
    expect(sold.status).toBe(202);
  });

  it('when a customer joins, polls at the told interval and reserves, then the reservation holds a unit of the sale', async () => {
    const { api, shopper, admin } = ctx;
    const product = await shopper.createProduct(admin, { stock: 10 });
    const sale = (await createSale(product.variantId, 3)).body;
    const customer = await shopper.register();
    const joined = await api.post(`/v1/flash-sales/${sale.id}/queue`, undefined, { token: customer.token });
    expect(joined.status).toBe(201);
    let admission: string | undefined;
    await expect
      .poll(
        async () => {
          const polled = await api.get(`/v1/flash-sales/${sale.id}/queue/${joined.body.ticket}`, { token: customer.token });
          admission = polled.body.admissionToken;
          return polled.body.state;
        },
        { timeout: 10_000, interval: 100 },
      )
      .toBe('admitted');
    const reserved = await api.post(`/v1/flash-sales/${sale.id}/reservations`, { quantity: 1 }, { token: customer.token, headers: { 'admission-token': admission ?? '', 'idempotency-key': `e2e-${sale.id}` } });
    expect(reserved.status).toBe(201);
    await expect.poll(async () => (await api.get(`/v1/flash-sales/${sale.id}`)).body.remaining, { timeout: 5_000 }).toBe(2);
  });
});
