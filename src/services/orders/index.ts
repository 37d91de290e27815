import { fileURLToPath } from 'node:url';
import { createInbox, subscribeGuarded } from '../../platform/bus/inbox.js';
import { createOutboxRelay } from '../../platform/bus/outbox.js';
import { createBackgroundRetries } from '../../platform/resilience/background-retries.js';
import type { MigrationSource } from '../../platform/db/migrate.js';
import type { ServiceDeps } from '../../platform/service-deps.js';
import type { ServiceModule } from '../../platform/service.js';
import type { CartsClient } from '../carts/contract/carts-client.js';
import type { FlashSalesClient } from '../flash-sales/contract/flash-sales-client.js';
import { InventoryEvents } from '../inventory/contract/events.js';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import { PaymentEvents } from '../payments/contract/events.js';
import type { PaymentsClient } from '../payments/contract/payments-client.js';
import { makeCancelOrder } from './cancel-order.js';
import { OrderEvents } from './contract/events.js';
import type { OrdersClient } from './contract/orders-client.js';
import { onPaymentCaptured } from './events/on-payment-captured.js';
import { onOrderCancelled } from './events/on-order-cancelled.js';
import { onPaymentFailed } from './events/on-payment-failed.js';
import { onReservationExpired } from './events/on-reservation-expired.js';
import { makeFulfillOrder } from './fulfill-order.js';
import { makeGetOrder } from './get-order.js';
import { registerCheckoutRoutes } from './http/checkout-routes.js';
import { registerOrderRoutes, type OrderRouteDeps } from './http/order-routes.js';
import { toOrderView } from './http/order-schemas.js';
import { makeIdempotentRequest } from './idempotency/idempotent-request.js';
import { createIdempotencyPruneWorker } from './idempotency/prune-idempotency-keys.js';
import { createSqlIdempotencyStore } from './idempotency/sql-idempotency-store.js';
import { makeListOrders } from './list-orders.js';
import { makeTransitionOrder } from './order-state-machine.js';
import { registerOrdersGauge } from './orders-metrics.js';
import { makePlaceOrder } from './place-order.js';
import { makePlaceSaleOrder } from './place-sale-order.js';
import { makeRecordOrder } from './record-order.js';
import { makeUndoFailedCheckout } from './undo-failed-checkout.js';
import { makeRefundOrder } from './refund-order.js';
import { createAbandonedCheckoutSweepWorker } from './sweep-abandoned-checkouts.js';
import { ORDERS_SCHEMA } from './storage/orders-tables.js';
import { createSqlOrderSealing } from './storage/sql-order-sealing.js';
import { createSqlOrderStore } from './storage/sql-order-store.js';

export const ordersMigrations: MigrationSource = {
  schema: ORDERS_SCHEMA,
  directory: fileURLToPath(new URL('./migrations', import.meta.url)),
  outbox: true,
  inbox: true,
};

export type OrdersServiceDeps = ServiceDeps & {
  carts: CartsClient;
  inventory: InventoryClient;
  payments: PaymentsClient;
  /** flash-sale checkout (`reservationId`); without it a reservation is unknown */
  flashSales?: Pick<FlashSalesClient, 'claimReservation' | 'releaseClaim'>;
  /** how long checkout holds stock for the payment; 15 minutes by default */
  reservationTtlMs?: number;
  /** how long a checkout's Idempotency-Key stays locked to its request; 60 s by default */
  checkoutLockMs?: number;
  /** tests move time instead of sleeping */
  clock?: () => Date;
};

export function createOrdersService(deps: OrdersServiceDeps): ServiceModule<OrdersClient> {
  const { db, bus, logger, metrics, carts, inventory, payments, envelope } = deps;
  const clock = deps.clock ?? (() => new Date());
  const store = createSqlOrderStore(db, envelope, deps.reads);
  const sealing = createSqlOrderSealing(db, envelope, logger);
  const idempotencyStore = createSqlIdempotencyStore(db);
  // every commit here that enqueues pokes it (onEventsWritten), so its polls may back off where all writers share its process
  const relay = createOutboxRelay({ db, schema: ORDERS_SCHEMA, bus, logger, maxIdleMs: deps.pokedQueueMaxIdleMs });
  const onEventsWritten = () => relay.poke();
  const transition = makeTransitionOrder({ store, clock, onEventsWritten });

  registerOrdersGauge(metrics, store, logger);

  // the effects reach inventory and payments (other services, the PSP): no one transaction can hold them and
  // the inbox row, so the inbox skips handled redeliveries and each handler is idempotent by state for the
  // window between its effect and the row (docs/outbox.md, "Consumers apply each message once")
  const subscribe = subscribeGuarded(bus, createInbox(db, ORDERS_SCHEMA));
  subscribe(PaymentEvents.captured, 'orders.on-payment-captured', onPaymentCaptured({ store, transition, inventory, payments, logger }));
  subscribe(PaymentEvents.failed, 'orders.on-payment-failed', onPaymentFailed({ store, transition, inventory, logger }));
  subscribe(OrderEvents.cancelled, 'orders.release-hold-of-cancelled-order', onOrderCancelled({ store, inventory, payments }));
  subscribe(InventoryEvents.reservationExpired, 'orders.on-reservation-expired', onReservationExpired({ store, transition, payments, inventory, clock, logger }));

  const reservationTtlMs = deps.reservationTtlMs ?? 15 * 60_000;
  const compensations = createBackgroundRetries({ name: 'orders-compensations', logger });
  const undoFailedCheckout = makeUndoFailedCheckout({ compensations, clock });
  const recordOrder = makeRecordOrder({ inventory, store, clock, reservationTtlMs, onEventsWritten, undoFailedCheckout });
  const placeOrder = makePlaceOrder({ carts, recordOrder, orderExists: async (id) => (await store.findById(id)) !== null, undoFailedCheckout });
  const placeSaleOrder = deps.flashSales ? makePlaceSaleOrder({ flashSales: deps.flashSales, recordOrder, undoFailedCheckout }) : undefined;
  // a minute past the hold: by then the stock of a checkout that died is back on sale
  const sweeper = createAbandonedCheckoutSweepWorker({ store: idempotencyStore, carts, logger, clock, abandonAfterMs: reservationTtlMs + 60_000 });
  // admin changes write their audit entry in the transaction that changes the order
  const cancelOrder = makeCancelOrder({ store, transition, inventory, payments, logger });
  const refundOrder = makeRefundOrder({ store, transition, payments, logger });
  const fulfillOrder = makeFulfillOrder({ store, transition });
  const routeDeps: OrderRouteDeps = {
    getOrder: makeGetOrder({ store }),
    listOrders: makeListOrders({ store }),
    cancelOrder: (by, orderId, reason) => cancelOrder(orderId, reason, by),
    refundOrder: (by, orderId, reason) => refundOrder(orderId, reason, by),
    fulfillOrder: (by, orderId, reason) => fulfillOrder(orderId, reason, by),
  };

  const client: OrdersClient = {
    async getOrder(id) {
      const order = await store.findById(id);
      if (!order) return null;
      const { customerId, status, email, total, createdAt, updatedAt } = order;
      return { id, customerId, status, email, lines: toOrderView(order).lines, total, createdAt, updatedAt };
    },
  };

  return {
    name: 'orders',
    // orders placed before personal data was sealed are sealed on the first start after the upgrade
    migrations: { ...ordersMigrations, afterMigrate: async () => void (await sealing.sealPlaintextRows()) },
    routes: (app) => {
      registerCheckoutRoutes(app, { idempotentRequest: makeIdempotentRequest({ store: idempotencyStore, logger, clock, retries: compensations, ...(deps.checkoutLockMs ? { lockMs: deps.checkoutLockMs } : {}) }), placeOrder, ...(placeSaleOrder ? { placeSaleOrder } : {}) });
      registerOrderRoutes(app, routeDeps);
    },
    client,
    rewrap: () => sealing.rewrapRows(),
    workers: [relay, createIdempotencyPruneWorker({ store: idempotencyStore, logger }), sweeper, compensations],
  };
}
