import { audited } from '../../platform/audit/audited.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { createInbox, subscribeGuarded } from '../../platform/bus/inbox.js';
import { createOutboxRelay } from '../../platform/bus/outbox.js';
import type { CounterStore } from '../../platform/counters/counter-store.js';
import type { ServiceDeps } from '../../platform/service-deps.js';
import type { ServiceModule } from '../../platform/service.js';
import type { CatalogClient } from '../catalog/contract/catalog-client.js';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import { createAdmissionTicker, makeAdmissionTick } from './admission-ticker.js';
import { makeClaimReservation } from './claim-reservation.js';
import { FlashSaleEvents } from './contract/events.js';
import { followUpCountersNow } from './counter-follow-up.js';
import { answerOutageAsNotLoaded } from './counter-outage.js';
import { onOrderFailed, onOrderPaid, fromReservation } from './events/on-order-outcome.js';
import { syncCountersOnReservationChange } from './events/sync-counters.js';
import { createSaleReservationExpiryWorker, makeExpireSaleReservations } from './expire-sale-reservations.js';
import { createCounterReconcileWorker, makeReconcileCounters } from './reconcile-counters.js';
import { createAbandonedClaimSweepWorker, makeSweepAbandonedClaims } from './sweep-abandoned-claims.js';
import type { OrdersClient } from '../orders/contract/orders-client.js';
import { createSqlSaleCounterLock } from './storage/sql-sale-counter-lock.js';
import { OrderEvents } from '../orders/contract/events.js';
import type { FlashSaleSnapshot, FlashSalesClient } from './contract/flash-sales-client.js';
import { makeCreateSale, type CreateSaleInput, type CreateSaleResult } from './create-sale.js';
import { makeEndSale } from './end-sale.js';
import { makeGetSale } from './get-sale.js';
import { makeGetSaleDetail } from './get-sale-detail.js';
import { registerAdminFlashSaleRoutes } from './http/admin-flash-sale-routes.js';
import { createSpikePathMetrics, createWaitingRoomGauges, outcomeOf } from './flash-sales-metrics.js';
import { registerFlashSaleRoutes } from './http/flash-sale-routes.js';
import { registerSalePage } from './http/sale-page.js';
import { makeJoinQueue } from './join-queue.js';
import { makeListOpenSales } from './list-open-sales.js';
import { makeListSales } from './list-sales.js';
import { DEFAULT_SOLD_OUT_RETRY_MS, makePeekPollTicket, makePollTicket } from './poll-ticket.js';
import { makeReserveUnits } from './reserve-units.js';
import { createSaleKeys } from './sale-keys.js';
import { createSaleLifecycle } from './sale-lifecycle.js';
import { createSaleStatusWorker, makeSaleStatusPass } from './sale-status-worker.js';
import { makeSetSalePaused } from './set-sale-paused.js';
import { createSingleFlightCache } from './single-flight-cache.js';
import { flashSalesMigrations } from './storage/flash-sales-migrations.js';
import { FLASH_SALES_SCHEMA } from './storage/flash-sales-tables.js';
import type { SaleRecord } from './storage/sale-store.js';
import { createSqlSaleReservationStore } from './storage/sql-sale-reservation-store.js';
import { createSqlSaleStore } from './storage/sql-sale-store.js';
import { createSqlSecretStore } from './storage/sql-secret-store.js';

export { flashSalesMigrations };

export interface FlashSaleSettings {
  /** polls per second one sale's whole queue may cost (FLASH_SALE_POLL_BUDGET_PER_SECOND) */
  pollBudgetPerSecond: number;
  /** admitted-but-unresolved customers per remaining unit (FLASH_SALE_OVERBOOKING) */
  overbooking: number;
  /** admission tick period (FLASH_SALE_TICK_MS) */
  tickMs: number;
  /** when a customer told "sold out" should look again (FLASH_SALE_SOLD_OUT_RETRY_MS) */
  soldOutRetryMs: number;
}

export const DEFAULT_FLASH_SALE_SETTINGS: FlashSaleSettings = { pollBudgetPerSecond: 2_000, overbooking: 1.2, tickMs: 250, soldOutRetryMs: DEFAULT_SOLD_OUT_RETRY_MS };

/** ≤ 250 ms (FLASH.md): one counter snapshot per sale per period per process, however many poll */
const FRONTIER_MAX_AGE_MS = 250;
/** a pause or an end made in another process shows here within a second */
const SALE_MAX_AGE_MS = 1_000;

export type FlashSalesServiceDeps = ServiceDeps & {
  audit: AuditLog;
  catalog: CatalogClient;
  inventory: InventoryClient;
  counters: CounterStore;
  /**
   * Whether an order exists, for the abandoned-claim sweep (orders is created after flash sales, so
   * the composition root passes a lookup that reaches it lazily). Without it the sweep does not run.
   */
  orders?: Pick<OrdersClient, 'getOrder'>;
  settings?: Partial<FlashSaleSettings>;
  /** tests move time instead of sleeping */
  clock?: () => Date;
  /** [0, 1) for the poll interval's jitter; tests make it deterministic */
  random?: () => number;
};

export type FlashSalesService = ServiceModule<FlashSalesClient> & {
  /** creates a sale as the system (the demo seed); admins use the audited route */
  createSale(input: CreateSaleInput): Promise<CreateSaleResult>;
  /** sales not over yet (scheduled, live, sold out), soonest start first */
  openSales(): Promise<FlashSaleSnapshot[]>;
  /** one status-worker pass now (tests, and right after start) */
  statusPassNow(): Promise<number>;
  /** one admission tick now, with fresh reads (tests move the clock and tick) */
  admitNow(): Promise<number>;
  /** one lease-expiry pass now; answers how many reservations expired */
  expireReservationsNow(): Promise<number>;
  /** one reconciler pass now; answers how many sales' counters were rebuilt */
  reconcileNow(): Promise<number>;
  /** one abandoned-claim sweep now (0 without an orders lookup) */
  sweepClaimsNow(): Promise<number>;
};

export function createFlashSalesService(deps: FlashSalesServiceDeps): FlashSalesService {
  const { db, logger, counters, inventory, catalog } = deps;
  const clock = deps.clock ?? (() => new Date());
  const now = () => clock().getTime();
  const settings = { ...DEFAULT_FLASH_SALE_SETTINGS, ...deps.settings };
  // every transaction of the two stores that enqueues an event pokes the relay once it committed, so its polls may
  // back off where all writers share its process
  const relay = createOutboxRelay({ db, schema: FLASH_SALES_SCHEMA, bus: deps.bus, logger, maxIdleMs: deps.pokedQueueMaxIdleMs });
  const onEventsWritten = () => relay.poke();
  const sales = createSqlSaleStore(db, { onEventsWritten });
  const reservations = createSqlSaleReservationStore(db, { onEventsWritten });
  const keys = createSaleKeys({ store: createSqlSecretStore(db), envelope: deps.envelope });

  // per-process caches of the spike path: polls, joins and reservations read these, not PostgreSQL
  const saleCache = createSingleFlightCache<SaleRecord | null>({ load: (id) => sales.find(id), maxAgeMs: SALE_MAX_AGE_MS, now });
  const openSalesCache = createSingleFlightCache<SaleRecord[]>({ load: () => sales.listOpen(100), maxAgeMs: SALE_MAX_AGE_MS, now });
  // joins, polls, reservations and admission: an unreachable counter store answers 503, never 500
  const spikeCounters = answerOutageAsNotLoaded(counters, logger);
  const frontier = createSingleFlightCache({ load: (id) => spikeCounters.snapshot(id), maxAgeMs: FRONTIER_MAX_AGE_MS, now, maxEntries: 1_000 });
  const onChanged = (saleId: string) => {
    saleCache.forget(saleId);
    frontier.forget(saleId);
    openSalesCache.forget('open');
  };
  const sale = (id: string) => saleCache.get(id);
  const snapshot = (id: string) => frontier.get(id);
  const openSales = () => openSalesCache.get('open');
  const signingKeys = () => keys.get();

  const lifecycle = createSaleLifecycle({ sales, reservations, counters, inventory, clock, logger, onChanged });
  const statusPass = makeSaleStatusPass({ sales, lifecycle, clock });
  const admissionTick = makeAdmissionTick({ counters: spikeCounters, liveSales: openSales, snapshot, clock, overbooking: settings.overbooking, observe: createWaitingRoomGauges(deps.metrics) });
  const createSale = makeCreateSale({
    sales,
    catalog,
    inventory,
    clock,
    logger,
    onCreated: async (created) => {
      onChanged(created.id);
      return created.startsAt.getTime() <= now() ? lifecycle.goLive(created) : null;
    },
  });
  const setPaused = makeSetSalePaused({ sales, clock, onChanged });
  const endSale = makeEndSale({ sales, lifecycle });
  // the product on a sale's public answer changes as rarely as the catalog: one lookup per variant per minute
  const products = createSingleFlightCache({
    load: async (variantId) => {
      const [variant] = await catalog.getVariants([variantId]);
      return variant ? { id: variant.productId, name: variant.productName, variantTitle: variant.title } : null;
    },
    maxAgeMs: 60_000,
    now,
    maxEntries: 1_000,
  });
  const getSale = makeGetSale({ sale, snapshot, reservations, product: (variantId) => products.get(variantId) });
  const target = (id: string) => ({ type: 'flash_sale', id });
  const spike = createSpikePathMetrics(deps.metrics);

  // orders, outcomes and reconciliation (docs/flash-sales.md): PostgreSQL first, the counters follow
  const claim = makeClaimReservation({ sales, reservations, catalog, clock });
  const outcomeDeps = { reservations, counters, clock, logger, sale: (id: string) => sales.find(id) };
  // the counters live in Redis: the inbox skips handled redeliveries, and the reservation's conditional
  // transition and the idempotent counter steps cover a handler killed before its inbox row
  const subscribe = subscribeGuarded(deps.bus, createInbox(db, FLASH_SALES_SCHEMA));
  // an order checked out from a cart has no sale reservation: skipped before the inbox and the lookup
  subscribe(OrderEvents.paid, 'flash-sales.on-order-paid', onOrderPaid(outcomeDeps), fromReservation);
  subscribe(OrderEvents.paymentFailed, 'flash-sales.on-order-payment-failed', onOrderFailed(outcomeDeps), fromReservation);
  subscribe(OrderEvents.cancelled, 'flash-sales.on-order-cancelled', onOrderFailed(outcomeDeps), fromReservation);
  subscribe(FlashSaleEvents.reservationChanged, 'flash-sales.sync-counters', syncCountersOnReservationChange({ counters }));
  const expireReservations = makeExpireSaleReservations(outcomeDeps);
  // past the order's 15-minute stock hold and a checkout's lock, a claim without an order is abandoned
  const sweepClaims = deps.orders ? { ...outcomeDeps, orders: deps.orders, graceMs: 20 * 60_000 } : undefined;
  const reconcile = makeReconcileCounters({
    // scheduled sales too (DESIGN 4.1): their counters are loaded ahead of the start, so preflight can
    // check them and the opening second does not wait for a load; joins still refuse until startsAt
    liveSales: () => sales.listOpen(1_000),
    reservations,
    counters,
    lock: createSqlSaleCounterLock(db),
    logger,
    onRebuilt: onChanged,
  });

  const toSnapshot = ({ id, variantId, price, quantity, perCustomerLimit, status, paused, startsAt, endsAt, allocationReservationId }: SaleRecord): FlashSaleSnapshot => ({
    id,
    variantId,
    price,
    quantity,
    perCustomerLimit,
    status,
    paused,
    startsAt,
    endsAt,
    allocationReservationId,
  });

  const client: FlashSalesClient = {
    async claimReservation(input) {
      const claimed = await claim(input);
      // ordered counts as sold in the counters (FLASH.md rebuild); a replay repeats the idempotent step
      if (claimed.ok) await followUpCountersNow({ counters, logger }, claimed.reservation.saleId, claimed.reservation.reservationId, 'ordered');
      return claimed;
    },
    async releaseClaim({ reservationId, orderId }) {
      const given = await reservations.unclaim({ id: reservationId, orderId, now: clock() });
      if (given) await followUpCountersNow({ counters, logger }, given.saleId, given.id, given.status);
    },
    async getSale(id) {
      const found = await sales.find(id);
      return found ? toSnapshot(found) : null;
    },
  };

  return {
    name: 'flash-sales',
    migrations: flashSalesMigrations,
    routes: (app) => {
      registerAdminFlashSaleRoutes(app, {
        createSale: audited(deps.audit, createSale, ({ sale: s }) => ({
          action: 'flash_sale.created',
          target: target(s.id),
          details: { variantId: s.variantId, quantity: s.quantity, priceAmount: s.price.amount, currency: s.price.currency, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() },
        })),
        listSales: makeListSales({ sales }),
        getSaleDetail: makeGetSaleDetail({ sales, reservations, counters }),
        pauseSale: audited(deps.audit, (id: string) => setPaused(id, true), ({ sale: s }) => ({ action: 'flash_sale.paused', target: target(s.id) })),
        resumeSale: audited(deps.audit, (id: string) => setPaused(id, false), ({ sale: s }) => ({ action: 'flash_sale.resumed', target: target(s.id) })),
        endSale: audited(deps.audit, endSale, ({ sale: s, ended }) => ({ action: 'flash_sale.ended', target: target(s.id), details: { alreadyEnded: !ended } })),
      });
      registerFlashSaleRoutes(app, {
        listOpenSales: makeListOpenSales({ openSales, getSale, clock }),
        getSale,
        joinQueue: spike.counted('join', makeJoinQueue({ sale, counters: spikeCounters, keys: signingKeys, clock, snapshot, pollBudgetPerSecond: settings.pollBudgetPerSecond, ...(deps.random ? { random: deps.random } : {}) }), (r) => outcomeOf(r, 'joined')),
        pollTicket: spike.counted(
          'poll',
          makePollTicket({ sale, snapshot, keys: signingKeys, clock, pollBudgetPerSecond: settings.pollBudgetPerSecond, soldOutRetryMs: settings.soldOutRetryMs, ...(deps.random ? { random: deps.random } : {}) }),
          (r) => (r.ok ? r.state : r.code),
        ),
        peekPoll: makePeekPollTicket({
          sale: (id) => saleCache.peek(id),
          snapshot: (id) => frontier.peek(id),
          keys: () => keys.peek(),
          clock,
          pollBudgetPerSecond: settings.pollBudgetPerSecond,
          soldOutRetryMs: settings.soldOutRetryMs,
          ...(deps.random ? { random: deps.random } : {}),
        }),
        countPoll: (state) => spike.count('poll', state),
        reserveUnits: spike.counted('reserve', makeReserveUnits({ sale, counters: spikeCounters, reservations, keys: signingKeys, clock, logger }), (r) => (r.ok ? (r.replayed ? 'replayed' : 'reserved') : r.code)),
      });
      registerSalePage(app);
    },
    client,
    rewrap: () => keys.rewrap(),
    workers: [
      relay,
      createSaleStatusWorker({ pass: statusPass, logger }),
      createAdmissionTicker({ tick: admissionTick, logger, tickMs: settings.tickMs }),
      createSaleReservationExpiryWorker(outcomeDeps),
      // its first pass runs at start: counters lost while this process was down are rebuilt first thing
      createCounterReconcileWorker({ reconcile, logger }),
      ...(sweepClaims ? [createAbandonedClaimSweepWorker({ ...sweepClaims })] : []),
    ],
    expireReservationsNow: expireReservations,
    reconcileNow: reconcile,
    sweepClaimsNow: sweepClaims ? makeSweepAbandonedClaims(sweepClaims) : async () => 0,
    createSale,
    openSales: async () => (await sales.listOpen(100)).map(toSnapshot),
    statusPassNow: statusPass,
    admitNow: () => {
      openSalesCache.forget('open');
      return admissionTick();
    },
  };
}
