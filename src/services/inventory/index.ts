import { fileURLToPath } from 'node:url';
import { createOutboxRelay } from '../../platform/bus/outbox.js';
import type { MigrationSource } from '../../platform/db/migrate.js';
import type { ServiceDeps } from '../../platform/service-deps.js';
import { audited } from '../../platform/audit/audited.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { ServiceModule } from '../../platform/service.js';
import { makeCommitExpiredReservation } from './commit-expired-reservation.js';
import { makeCommitReservation } from './commit-reservation.js';
import type { InventoryClient } from './contract/inventory-client.js';
import { createReservationExpiryWorker, makeExpireReservations } from './expire-reservations.js';
import { makeExtendReservation } from './extend-reservation.js';
import { makeGetAvailableStock } from './get-available-stock.js';
import { makeGetStockLevel } from './get-stock-level.js';
import { registerInventoryAdminRoutes } from './http/inventory-admin-routes.js';
import { makeReleaseReservation } from './release-reservation.js';
import { makeReserveStock } from './reserve-stock.js';
import { makeRestock } from './restock.js';
import { makeSetStockLevel } from './set-stock-level.js';
import { registerCollectGauge } from '../../platform/telemetry/collect-gauge.js';
import { createSqlStockStore, INVENTORY_SCHEMA } from './storage/sql-stock-store.js';

export const inventoryMigrations: MigrationSource = {
  schema: INVENTORY_SCHEMA,
  directory: fileURLToPath(new URL('./migrations', import.meta.url)),
  outbox: true,
};

export type InventoryServiceDeps = ServiceDeps & {
  audit: AuditLog;
  /** the time reservations expire against; tests move it forward instead of sleeping */
  clock?: () => Date;
};

export type InventoryService = ServiceModule<InventoryClient> & {
  /** bulk upsert of on_hand (seeding thousands of variants); a level below its reserved units throws */
  setStock(levels: Array<{ variantId: string; onHand: number }>): Promise<void>;
  /** runs one expiry pass now and answers how many holds it released */
  expireNow(): Promise<number>;
};

export function createInventoryService(deps: InventoryServiceDeps): InventoryService {
  const clock = deps.clock ?? (() => new Date());
  const store = createSqlStockStore(deps.db);
  registerCollectGauge(deps.metrics, 'floodgate_inventory_reservations_held', 'Reservations holding stock right now', () => store.countHeld());
  // every commit here that enqueues pokes it (onEventsWritten), so its polls may back off where all writers share its process
  const relay = createOutboxRelay({ db: deps.db, schema: INVENTORY_SCHEMA, bus: deps.bus, logger: deps.logger, maxIdleMs: deps.pokedQueueMaxIdleMs });
  const onEventsWritten = () => relay.poke();
  const expire = makeExpireReservations({ store, clock, onEventsWritten });

  const client: InventoryClient = {
    reserve: makeReserveStock({ store, clock }),
    commit: makeCommitReservation({ store }),
    commitExpired: makeCommitExpiredReservation({ store }),
    extendReservation: makeExtendReservation({ store, clock }),
    release: makeReleaseReservation({ store, onEventsWritten }),
    restock: makeRestock({ store }),
    available: makeGetAvailableStock({ store }),
  };

  return {
    name: 'inventory',
    migrations: inventoryMigrations,
    routes: (app) =>
      registerInventoryAdminRoutes(app, {
        getStockLevel: makeGetStockLevel({ store }),
        setStockLevel: audited(deps.audit, makeSetStockLevel({ store }), ({ level }) => ({
          action: 'inventory.stock_set',
          target: { type: 'variant', id: level.variantId },
          details: { onHand: level.onHand, reserved: level.reserved },
        })),
      }),
    client,
    workers: [relay, createReservationExpiryWorker({ expire, logger: deps.logger })],
    setStock: (levels) => store.setLevels(levels),
    expireNow: expire,
  };
}
