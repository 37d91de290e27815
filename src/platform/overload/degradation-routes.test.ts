import { describe, expect, it } from 'vitest';
import { useTestShop } from '../../../test/support/shop.js';

describe('degradation switches over HTTP', () => {
  const t = useTestShop('pglite');

  it('when an admin sets stock-counts on, then the switch reads degraded, /readyz and the metrics show it, the change is audited, and auto undoes it', async () => {
    const set = await t.api.put('/v1/admin/degradation/stock-counts', { mode: 'on' }, { token: t.admin });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ name: 'stock-counts', mode: 'on', degraded: true });
    const list = await t.api.get('/v1/admin/degradation', { token: t.admin });
    expect(list.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'stock-counts', degraded: true }), expect.objectContaining({ name: 'search', mode: 'auto' })]));
    const ready = await t.api.get('/readyz');
    expect(ready.body.degradation).toMatchObject({ 'stock-counts': { mode: 'on', degraded: true }, search: { mode: 'auto' } });
    const metrics = await t.api.get<string>('/metrics');
    expect(metrics.body).toMatch(/floodgate_degradation_active\{[^}]*switch="stock-counts"[^}]*\} 1/);
    expect(metrics.body).toMatch(/floodgate_degradation_mode\{[^}]*switch="stock-counts"[^}]*mode="on"[^}]*\} 1/);
    const audit = await t.api.get('/v1/admin/audit?action=degradation.switch_set', { token: t.admin });
    expect(audit.body.items[0]).toMatchObject({ target: { type: 'degradation_switch', id: 'stock-counts' }, details: { from: 'auto', to: 'on' } });

    const back = await t.api.put('/v1/admin/degradation/stock-counts', { mode: 'auto' }, { token: t.admin });
    expect(back.body).toMatchObject({ mode: 'auto', degraded: false });
  });

  it('when the switch is unknown or the mode is not one of auto/on/off, then the answer is 400 naming the field and nothing is set', async () => {
    const unknown = await t.api.put('/v1/admin/degradation/recommendations', { mode: 'on' }, { token: t.admin });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toMatch(/switch/);
    const bad = await t.api.put('/v1/admin/degradation/search', { mode: 'maybe' }, { token: t.admin });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/mode/);
    const list = await t.api.get('/v1/admin/degradation', { token: t.admin });
    expect(list.body.items.every((s: { mode: string }) => s.mode === 'auto')).toBe(true);
  });

  it('when a customer or nobody asks, then the switches are refused', async () => {
    expect((await t.api.put('/v1/admin/degradation/search', { mode: 'on' })).status).toBe(401);
    expect((await t.api.get('/v1/admin/degradation')).status).toBe(401);
  });
});
