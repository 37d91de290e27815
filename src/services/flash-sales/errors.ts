import { AppError, CommonErrors, type FieldError } from '../../platform/http/app-error.js';
import type { CreateSaleResult } from './create-sale.js';
import type { JoinQueueResult } from './join-queue.js';
import type { PollTicketResult } from './poll-ticket.js';
import type { ReserveUnitsResult } from './reserve-units.js';
import type { SetSalePausedResult } from './set-sale-paused.js';

const field = (name: string, message: string): { fields: FieldError[] } => ({ fields: [{ field: name, message }] });

/** The flash-sales error catalogue: stable codes, messages that say what to do next. */
export const FlashSaleErrors = {
  notFound: (id: string) => new AppError('FLASH_SALE_NOT_FOUND', 'not_found', `Flash sale ${id} does not exist`),
  variantNotFound: (variantId: string) =>
    new AppError('FLASH_SALE_VARIANT_NOT_FOUND', 'unprocessable', `Variant ${variantId} does not exist or can no longer be bought; pick a purchasable variant`, field('body.variantId', 'unknown or archived variant')),
  currencyMismatch: (expected: string) =>
    new AppError('FLASH_SALE_CURRENCY_MISMATCH', 'unprocessable', `The variant is priced in ${expected}; give the sale price in ${expected}`, field('body.price.currency', `must be ${expected}`)),
  insufficientStock: (variantId: string, available: number) =>
    new AppError('FLASH_SALE_INSUFFICIENT_STOCK', 'conflict', `Only ${available} units of variant ${variantId} are available to carve out; lower the quantity or restock first`, field('body.quantity', `at most ${available}`)),
  invalidCursor: () => new AppError('FLASH_SALE_INVALID_CURSOR', 'bad_request', 'The cursor is not one this API gave out; start again without a cursor', field('query.cursor', 'unknown cursor')),
  ended: (id: string) => new AppError('FLASH_SALE_ENDED', 'conflict', `Flash sale ${id} has ended`),
  notLive: (id: string, status: string) => new AppError('FLASH_SALE_NOT_LIVE', 'conflict', `Flash sale ${id} is ${status}, not live; see its startsAt and try again then`),
  paused: (id: string) => new AppError('FLASH_SALE_PAUSED', 'conflict', `Flash sale ${id} is paused; keep your place in the queue and retry shortly`, { retryAfterSeconds: 5 }),
  guestsExcluded: () => new AppError('FLASH_SALE_GUESTS_EXCLUDED', 'forbidden', 'This sale is for registered customers; register or log in, then join'),
  ticketInvalid: () => new AppError('FLASH_SALE_TICKET_INVALID', 'forbidden', 'This ticket was not issued to you for this sale; join the queue to get yours'),
  ticketExpired: () => new AppError('FLASH_SALE_TICKET_EXPIRED', 'conflict', 'This ticket is no longer valid for this sale (the queue was reset or the sale ended); join again'),
  notAdmitted: () =>
    new AppError('FLASH_SALE_NOT_ADMITTED', 'forbidden', 'Send the admission token your ticket was given when admitted (Admission-Token header); keep polling your ticket until then'),
  admissionExpired: () =>
    new AppError('FLASH_SALE_ADMISSION_EXPIRED', 'conflict', 'Your admission ran out before you reserved, and your turn went to the next customer; nothing was reserved'),
  soldOut: (id: string) => new AppError('FLASH_SALE_SOLD_OUT', 'conflict', `Flash sale ${id} is sold out`),
  limitReached: (limit: number) =>
    new AppError('FLASH_SALE_LIMIT_REACHED', 'rate_limited', `You may hold or buy at most ${limit} units of this sale`, { ...field('body.quantity', `at most ${limit} per customer`), retryAfterSeconds: 60 }),
  quantityAboveLimit: (limit: number) =>
    new AppError('VALIDATION_FAILED', 'bad_request', `The request is invalid: body.quantity (at most ${limit} per customer)`, field('body.quantity', `at most ${limit} per customer`)),
  unavailable: () =>
    new AppError('FLASH_SALE_UNAVAILABLE', 'unavailable', 'The sale is recovering its counters; nothing was changed, retry in a moment', { retryAfterSeconds: 2 }),
  endsInPast: () => new AppError('VALIDATION_FAILED', 'bad_request', 'The request is invalid: body.endsAt (already past)', field('body.endsAt', 'must be in the future')),
  reservationInFlight: () =>
    new AppError('IDEMPOTENCY_KEY_IN_PROGRESS', 'conflict', 'A reservation with this Idempotency-Key is still being recorded; retry shortly', { retryAfterSeconds: 1 }),
};

type Failure<R> = Extract<R, { ok: false }>;
export type FlashSaleFailure =
  | Failure<CreateSaleResult>
  | Failure<JoinQueueResult>
  | Failure<PollTicketResult>
  | Failure<ReserveUnitsResult>
  | Failure<SetSalePausedResult>;

/** The one mapping from a use case's refusal to the error the client gets. */
export function flashSaleErrorOf(failure: FlashSaleFailure, saleId: string): AppError {
  switch (failure.code) {
    case 'FLASH_SALE_NOT_FOUND':
      return FlashSaleErrors.notFound(saleId);
    case 'FLASH_SALE_VARIANT_NOT_FOUND':
      return FlashSaleErrors.variantNotFound(failure.variantId);
    case 'FLASH_SALE_CURRENCY_MISMATCH':
      return FlashSaleErrors.currencyMismatch(failure.expected);
    case 'FLASH_SALE_ENDS_IN_PAST':
      return FlashSaleErrors.endsInPast();
    case 'FLASH_SALE_INSUFFICIENT_STOCK':
      return FlashSaleErrors.insufficientStock(failure.variantId, failure.available);
    case 'FLASH_SALE_ENDED':
      return FlashSaleErrors.ended(saleId);
    case 'FLASH_SALE_NOT_LIVE':
      return FlashSaleErrors.notLive(saleId, failure.status);
    case 'FLASH_SALE_SOLD_OUT':
      return FlashSaleErrors.soldOut(saleId);
    case 'FLASH_SALE_PAUSED':
      return FlashSaleErrors.paused(saleId);
    case 'FLASH_SALE_GUESTS_EXCLUDED':
      return FlashSaleErrors.guestsExcluded();
    case 'FLASH_SALE_UNAVAILABLE':
      return FlashSaleErrors.unavailable();
    case 'FLASH_SALE_TICKET_INVALID':
      return FlashSaleErrors.ticketInvalid();
    case 'FLASH_SALE_TICKET_EXPIRED':
      return FlashSaleErrors.ticketExpired();
    case 'FLASH_SALE_NOT_ADMITTED':
      return FlashSaleErrors.notAdmitted();
    case 'FLASH_SALE_ADMISSION_EXPIRED':
      return FlashSaleErrors.admissionExpired();
    case 'FLASH_SALE_QUANTITY_ABOVE_LIMIT':
      return FlashSaleErrors.quantityAboveLimit(failure.limit);
    case 'FLASH_SALE_LIMIT_REACHED':
      return FlashSaleErrors.limitReached(failure.limit);
    case 'IDEMPOTENCY_KEY_REUSED':
      return CommonErrors.idempotencyKeyReused();
    case 'IDEMPOTENCY_KEY_IN_PROGRESS':
      return FlashSaleErrors.reservationInFlight();
  }
}
