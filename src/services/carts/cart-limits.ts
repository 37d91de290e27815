/** Limits of one cart; the store enforces them atomically, the routes validate against them. */
export const CART_LIMITS = {
  /** units of one variant in one cart */
  maxQuantity: 99,
  /** distinct variants in one cart */
  maxLines: 50,
} as const;
