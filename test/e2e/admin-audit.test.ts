import { describe, expect, it } from 'vitest';
import type { ApiResponse } from '../support/api.js';
import { useTestShop } from '../support/shop.js';

interface Entry {
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string; id: string } | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

describe('admin actions leave one audit entry each (whole shop, pglite)', () => {
  const t = useTestShop('pglite');

  const entriesFor = async (target: string): Promise<Entry[]> => {
    const res = await t.api.get(`/v1/admin/audit?target=${target}&limit=100`, { token: t.admin });
    expect(res.status).toBe(200);
    return res.body.items;
  };
  const adminId = async () => (await t.api.post('/v1/auth/login', t.shop.admin)).body.customer.id as string;
  /** the one entry this answer's request wrote */
  const expectOneEntry = async (res: ApiResponse, target: string, action: string) => {
    expect(res.status).toBeLessThan(300);
    const mine = (await entriesFor(target)).filter((e) => e.requestId === res.headers.get('x-request-id'));
    expect(mine).toEqual([expect.objectContaining({ action, actor: { type: 'admin', id: await adminId() } })]);
    return mine[0]!;
  };

  it('when an admin edits the catalog and stock, then each change has exactly one entry naming the admin and the request', async () => {
    const category = await t.api.post('/v1/admin/categories', { slug: `audit-${Date.now()}`, name: 'Audited' }, { token: t.admin });
    await expectOneEntry(category, `category:${category.body.id}`, 'catalog.category_created');
    const product = await t.api.post(
      '/v1/admin/products',
      { name: 'Audited Lamp', categoryId: category.body.id, variants: [{ sku: `AUD-${Date.now()}`, title: 'One', price: { amount: 100, currency: 'USD' } }] },
      { token: t.admin },
    );
    await expectOneEntry(product, `product:${product.body.id}`, 'catalog.product_created');
    const update = await t.api.patch(`/v1/admin/products/${product.body.id}`, { name: 'Audited Lamp II' }, { token: t.admin });
    expect((await expectOneEntry(update, `product:${product.body.id}`, 'catalog.product_updated')).details).toEqual({ fields: 'name' });
    const variantId: string = product.body.variants[0].id;
    const stock = await t.api.put(`/v1/admin/inventory/${variantId}`, { onHand: 7 }, { token: t.admin });
    expect((await expectOneEntry(stock, `variant:${variantId}`, 'inventory.stock_set')).details).toEqual({ onHand: 7, reserved: 0 });
    const archive = await t.api.post(`/v1/admin/products/${product.body.id}/archive`, undefined, { token: t.admin });
    await expectOneEntry(archive, `product:${product.body.id}`, 'catalog.product_archived');
    expect((await entriesFor(`product:${product.body.id}`)).map((e) => e.action)).toEqual(['catalog.product_archived', 'catalog.product_updated', 'catalog.product_created']);
  });

  it('when an admin fulfils, refunds and cancels orders, then each has one entry; a refused change has none', async () => {
    const { variantId } = await t.shopper.createProduct(t.admin, { stock: 5 });
    const customer = await t.shopper.register();
    const paidOrder = async () => {
      const placed = await t.shopper.checkout(customer.token, await t.shopper.cartWith(customer.token, variantId));
      expect((await t.shopper.settledOrder(customer.token, placed.body.orderId)).status).toBe('paid');
      return placed.body.orderId as string;
    };

    const first = await paidOrder();
    await expectOneEntry(await t.api.post(`/v1/admin/orders/${first}/fulfill`, {}, { token: t.admin }), `order:${first}`, 'orders.fulfilled');
    const refund = await t.api.post(`/v1/admin/orders/${first}/refund`, { reason: 'damaged_in_transit' }, { token: t.admin });
    expect((await expectOneEntry(refund, `order:${first}`, 'orders.refunded')).details).toEqual({ from: 'fulfilled', reason: 'damaged_in_transit' });
    const refused = await t.api.post(`/v1/admin/orders/${first}/fulfill`, {}, { token: t.admin });
    expect(refused.status).toBe(409);
    expect((await entriesFor(`order:${first}`)).map((e) => e.action)).toEqual(['orders.refunded', 'orders.fulfilled']);

    const second = await paidOrder();
    await expectOneEntry(await t.api.post(`/v1/admin/orders/${second}/cancel`, {}, { token: t.admin }), `order:${second}`, 'orders.cancelled');
  });

  it('when the OpenAPI document is read, then it describes the audit route, its filters and its admin security', async () => {
    const spec = (await t.api.get('/v1/openapi.json')).body;
    const op = spec.paths['/v1/admin/audit']?.get;
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['action', 'actor', 'cursor', 'limit', 'target']);
    expect(op.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
  });

  it('when a customer reads the audit log, then 403 problem+json', async () => {
    const customer = await t.shopper.register();
    const res = await t.api.get('/v1/admin/audit', { token: customer.token });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
