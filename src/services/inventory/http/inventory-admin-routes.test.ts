import { createTestAuditLog } from '../../../../test/support/audit.js';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Authenticate } from '../../../platform/auth/principal.js';
import { createInProcessEventBus } from '../../../platform/bus/in-process-event-bus.js';
import { type Database } from '../../../platform/db/database.js';
import { createHttpApp } from '../../../platform/http/create-http-app.js';
import type { HttpApp } from '../../../platform/service.js';
import { createMetrics } from '../../../platform/telemetry/metrics.js';
import { createInventoryService, inventoryMigrations, type InventoryService } from '../index.js';
import { createTestEnvelope } from '../../../../test/support/envelope.js';
import { createMigratedPglite } from '../../../../test/support/databases.js';

const authenticate: Authenticate = async ({ bearer }) => {
  if (!bearer) return null;
  if (bearer === 'admin') return { customerId: uuidv7(), role: 'admin', via: 'token' };
  if (bearer === 'customer') return { customerId: uuidv7(), role: 'customer', via: 'token' };
  return null;
};
const admin = { authorization: 'Bearer admin' };

describe('inventory admin routes', () => {
  let db: Database;
  let app: HttpApp;
  let inventory: InventoryService;

  beforeAll(async () => {
    db = await createMigratedPglite([inventoryMigrations]);
    const logger = pino({ level: 'silent' });
    const metrics = createMetrics('test');
    inventory = createInventoryService({ db, bus: createInProcessEventBus(), logger, metrics, envelope: createTestEnvelope(), audit: await createTestAuditLog(db) });
    app = await createHttpApp({ logger, metrics, authenticate, modules: [inventory], readinessChecks: {} });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const get = (variantId: string, headers: Record<string, string> = admin) => app.inject({ method: 'GET', url: `/v1/admin/inventory/${variantId}`, headers });
  const put = (variantId: string, payload: unknown, headers: Record<string, string> = admin) =>
    app.inject({ method: 'PUT', url: `/v1/admin/inventory/${variantId}`, headers, payload: payload as object });

  it('when an admin sets on hand, then the level reads back with reserved and available', async () => {
    const variantId = uuidv7();
    const created = await put(variantId, { onHand: 12 });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toEqual({ variantId, onHand: 12, reserved: 0, available: 12 });
    await inventory.client.reserve({ reference: uuidv7(), lines: [{ variantId, quantity: 5 }], ttlMs: 60_000 });
    expect((await put(variantId, { onHand: 8 })).json()).toEqual({ variantId, onHand: 8, reserved: 5, available: 3 });
    expect((await get(variantId)).json()).toEqual({ variantId, onHand: 8, reserved: 5, available: 3 });
  });

  it('when on hand would drop below reserved, then 409 and the level is unchanged', async () => {
    const variantId = uuidv7();
    await put(variantId, { onHand: 6 });
    await inventory.client.reserve({ reference: uuidv7(), lines: [{ variantId, quantity: 4 }], ttlMs: 60_000 });
    const refused = await put(variantId, { onHand: 3 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'INVENTORY_BELOW_RESERVED' });
    expect((await get(variantId)).json()).toMatchObject({ onHand: 6, reserved: 4 });
  });

  it('when a variant has no stock level, then 404 INVENTORY_NOT_FOUND', async () => {
    const response = await get(uuidv7());
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'INVENTORY_NOT_FOUND' });
  });

  it('when the caller is anonymous or not an admin, then 401 or 403 and nothing is written', async () => {
    const variantId = uuidv7();
    expect((await put(variantId, { onHand: 1 }, {})).statusCode).toBe(401);
    expect((await put(variantId, { onHand: 1 }, { authorization: 'Bearer customer' })).statusCode).toBe(403);
    expect((await get(variantId, { authorization: 'Bearer customer' })).statusCode).toBe(403);
    expect(await inventory.client.available([variantId])).toEqual(new Map([[variantId, 0]]));
    expect((await get(variantId)).statusCode).toBe(404);
  });

  it.each([
    ['a negative count', { onHand: -1 }, 'body.onHand'],
    ['a fraction', { onHand: 2.5 }, 'body.onHand'],
    ['a string', { onHand: '5' }, 'body.onHand'],
    ['too many units', { onHand: 10_000_001 }, 'body.onHand'],
    ['a missing count', {}, 'body.onHand'],
    ['an unknown field', { onHand: 1, reserved: 0 }, 'body.reserved'],
  ])('when the body has %s, then 400 naming the field and nothing is written', async (_label, payload, field) => {
    const variantId = uuidv7();
    const response = await put(variantId, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect((await get(variantId)).statusCode).toBe(404);
  });

  it('when the variant id is not a uuid, then 400 naming the parameter', async () => {
    const response = await get('not-a-uuid');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: 'params.variantId' })]);
  });
});
