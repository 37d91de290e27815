import { newId } from '../../platform/ids.js';
import type { Logger } from 'pino';
import type { Money } from '../../platform/money.js';
import type { CatalogClient } from '../catalog/contract/catalog-client.js';
import type { InventoryClient } from '../inventory/contract/inventory-client.js';
import type { SaleRecord, SaleStore } from './storage/sale-store.js';

export const DEFAULT_RESERVATION_LEASE_MS = 600_000;
export const DEFAULT_ADMISSION_TTL_MS = 60_000;
/** the allocation outlives the sale by a day, so late orders can still carve from it; the end releases it earlier */
const ALLOCATION_GRACE_MS = 24 * 60 * 60_000;

export interface CreateSaleInput {
  variantId: string;
  price: Money;
  quantity: number;
  startsAt: Date;
  endsAt: Date;
  perCustomerLimit: number;
  admissionRatePerSecond: number;
  reservationLeaseMs?: number;
  admissionTtlMs?: number;
  allowGuests?: boolean;
}

export type CreateSaleResult =
  | { ok: true; sale: SaleRecord }
  | { ok: false; code: 'FLASH_SALE_VARIANT_NOT_FOUND'; variantId: string }
  | { ok: false; code: 'FLASH_SALE_CURRENCY_MISMATCH'; expected: string }
  | { ok: false; code: 'FLASH_SALE_ENDS_IN_PAST' }
  | { ok: false; code: 'FLASH_SALE_INSUFFICIENT_STOCK'; variantId: string; available: number };

export interface CreateSaleDeps {
  sales: SaleStore;
  catalog: CatalogClient;
  inventory: InventoryClient;
  clock: () => Date;
  logger: Logger;
  /** a sale starting now goes live at once instead of at the status worker's next pass */
  onCreated?: (sale: SaleRecord) => Promise<SaleRecord | null>;
}

/**
 * Creates a sale and carves its units out of the variant's stock (the "allocation", an inventory
 * reservation): from then on normal checkout cannot sell them. No carve, no sale: when the stock is
 * not there nothing is written.
 */
export const makeCreateSale =
  ({ sales, catalog, inventory, clock, logger, onCreated }: CreateSaleDeps) =>
  async (input: CreateSaleInput): Promise<CreateSaleResult> => {
    const now = clock();
    if (input.endsAt.getTime() <= now.getTime()) return { ok: false, code: 'FLASH_SALE_ENDS_IN_PAST' };
    const [variant] = await catalog.getVariants([input.variantId]);
    if (!variant?.purchasable) return { ok: false, code: 'FLASH_SALE_VARIANT_NOT_FOUND', variantId: input.variantId };
    if (variant.price.currency !== input.price.currency) return { ok: false, code: 'FLASH_SALE_CURRENCY_MISMATCH', expected: variant.price.currency };
    const available = (await inventory.available([input.variantId])).get(input.variantId) ?? 0;
    if (input.quantity > available) return { ok: false, code: 'FLASH_SALE_INSUFFICIENT_STOCK', variantId: input.variantId, available };

    const id = newId();
    const carve = await inventory.reserve({
      reference: `flash-sale:${id}`,
      lines: [{ variantId: input.variantId, quantity: input.quantity }],
      ttlMs: input.endsAt.getTime() - now.getTime() + ALLOCATION_GRACE_MS,
    });
    // the check above raced a checkout that took the last units: the carve is what decides
    if (!carve.ok) return { ok: false, code: 'FLASH_SALE_INSUFFICIENT_STOCK', variantId: input.variantId, available: carve.code === 'INVENTORY_INSUFFICIENT' ? carve.available : 0 };

    let sale: SaleRecord;
    try {
      sale = await sales.insert({
        id,
        variantId: input.variantId,
        price: input.price,
        quantity: input.quantity,
        perCustomerLimit: input.perCustomerLimit,
        admissionRatePerSecond: input.admissionRatePerSecond,
        reservationLeaseMs: input.reservationLeaseMs ?? DEFAULT_RESERVATION_LEASE_MS,
        admissionTtlMs: input.admissionTtlMs ?? DEFAULT_ADMISSION_TTL_MS,
        allowGuests: input.allowGuests ?? false,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        allocationReservationId: carve.reservationId,
      });
    } catch (err) {
      // no sale row, so no carve: the units go back to the shelf (or the allocation expires by itself)
      await inventory.release(carve.reservationId, 'flash_sale_not_created').catch((releaseErr: unknown) =>
        logger.warn({ err: releaseErr, allocationReservationId: carve.reservationId }, 'could not release the allocation of a sale that was not created; it expires by itself'));
      throw err;
    }
    // best effort: the status worker does the same at its next pass
    const live = await onCreated?.(sale).catch((err: unknown) => {
      logger.warn({ err, saleId: sale.id }, 'a new sale did not go live at once; the status worker retries');
      return null;
    });
    return { ok: true, sale: live ?? sale };
  };
