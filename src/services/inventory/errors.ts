import { AppError } from '../../platform/http/app-error.js';

/** Inventory's error catalogue; codes are stable, messages say what to do next. */
export const InventoryErrors = {
  notFound: (variantId: string) =>
    new AppError('INVENTORY_NOT_FOUND', 'not_found', `No stock level is recorded for variant ${variantId}; set one with PUT /v1/admin/inventory/${variantId}`),
  belowReserved: (onHand: number, reserved: number) =>
    new AppError(
      'INVENTORY_BELOW_RESERVED',
      'conflict',
      `onHand ${onHand} is below the ${reserved} units currently reserved; set at least ${reserved}, or retry once reservations are committed or released`,
    ),
};
