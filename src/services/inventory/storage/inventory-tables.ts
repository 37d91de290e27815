import type { Generated, Transaction } from 'kysely';

export const INVENTORY_SCHEMA = 'inventory';

export type ReservationStatus = 'held' | 'committed' | 'released';

export interface StockRow {
  variant_id: string;
  on_hand: number;
  reserved: Generated<number>;
  updated_at: Generated<Date>;
}
export interface ReservationRow {
  id: string;
  reference: string;
  status: ReservationStatus;
  release_reason: string | null;
  expires_at: Date;
  /** the allocation this hold was carved from; null for a hold taken off the shelf */
  carved_from: Generated<string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface ReservationLineRow {
  reservation_id: string;
  variant_id: string;
  quantity: number;
}
export interface RestockRow {
  reference: string;
  created_at: Generated<Date>;
}

export interface InventoryTables {
  'inventory.stock': StockRow;
  'inventory.reservations': ReservationRow;
  'inventory.reservation_lines': ReservationLineRow;
  'inventory.restocks': RestockRow;
}

export type Trx = Transaction<InventoryTables>;

export const byVariant = <T extends { variantId: string }>(lines: readonly T[]) =>
  [...lines].sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0));

/**
 * Lines summed per variant (one stock row, one line: an update joined to two lines of a row applies only one), in
 * ascending variant order. A uuid is one variant whatever its letters' case: the first spelling given is kept.
 */
export const perVariant = (lines: readonly { variantId: string; quantity: number }[]) => {
  const sums = new Map<string, { variantId: string; quantity: number }>();
  for (const { variantId, quantity } of lines) {
    const key = variantId.toLowerCase();
    const seen = sums.get(key);
    if (seen) seen.quantity += quantity;
    else sums.set(key, { variantId, quantity });
  }
  return byVariant([...sums.values()]);
};

/** whether PostgreSQL's answer (a uuid in its canonical lower case) names this line's variant */
export const sameVariant = (row: string, line: { variantId: string }) => row === line.variantId.toLowerCase();
