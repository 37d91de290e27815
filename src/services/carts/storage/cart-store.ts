export interface CartItemRecord {
  id: string;
  variantId: string;
  quantity: number;
  addedAt: Date;
}

export interface CartRecord {
  id: string;
  ownerId: string;
  status: 'open' | 'checked_out';
  /** the order that checked the cart out; null while open */
  orderId: string | null;
  /** null until the cart's first line fixes it */
  currency: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** in the order they were added */
  items: CartItemRecord[];
}

export type CartChangeFailure = 'CART_NOT_FOUND' | 'CART_CHECKED_OUT' | 'ITEM_NOT_FOUND' | 'QUANTITY_LIMIT' | 'LINE_LIMIT' | 'CURRENCY_MISMATCH';

/** The cart as it is after the change, read in the same transaction. */
export type CartChangeResult = { ok: true; cart: CartRecord } | { ok: false; code: CartChangeFailure };

/**
 * Carts and their lines. Every change names the owner and locks the cart row, so a stranger can
 * never write, and changes to one cart (including checkout) apply one at a time.
 */
export interface CartStore {
  create(input: { id: string; ownerId: string; currency: string | null }): Promise<CartRecord>;
  /**
   * Creates the cart unless its owner already holds `maxOpen` open carts; parallel creates for one owner
   * are serialised, so the cap holds exactly.
   */
  createWithinLimit(input: { id: string; ownerId: string; currency: string | null; maxOpen: number }): Promise<CartRecord | null>;
  /** null for an unknown cart and for another owner's cart alike; a checked-out cart names its order */
  findForOwner(cartId: string, ownerId: string): Promise<CartRecord | null>;
  /** adds `quantity` to the variant's line (creating it); the sum stays within the limits */
  addItem(input: { cartId: string; ownerId: string; itemId: string; variantId: string; quantity: number; currency: string }): Promise<CartChangeResult>;
  setItemQuantity(input: { cartId: string; ownerId: string; itemId: string; quantity: number }): Promise<CartChangeResult>;
  removeItem(input: { cartId: string; ownerId: string; itemId: string }): Promise<CartChangeResult>;
  /** open → checked_out for `orderId`; true also when that order already holds it */
  markCheckedOut(cartId: string, orderId: string): Promise<boolean>;
  /** checked_out by `orderId` → open; anything else is left alone */
  reopen(cartId: string, orderId: string): Promise<void>;
}
