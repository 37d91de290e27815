import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A queue ticket: `<position>.<mac>`, the MAC (HMAC-SHA256, 128 bits kept) over the sale, the
 * customer and the position. The sale and the customer are not written in the ticket: they come
 * from the URL and the caller's token, so a ticket used by another customer or for another sale
 * simply fails to verify. Deterministic, so the same customer joining again gets the same ticket.
 */
const TICKET = /^(\d{1,12})\.([A-Za-z0-9_-]{22})$/;

const macOf = (key: Buffer, saleId: string, customerId: string, position: number) =>
  createHmac('sha256', key).update(`floodgate.flash-sale-ticket.v1\n${saleId}\n${customerId}\n${position}`).digest().subarray(0, 16);

export function signTicket(key: Buffer, { saleId, customerId, position }: { saleId: string; customerId: string; position: number }): string {
  return `${position}.${macOf(key, saleId, customerId, position).toString('base64url')}`;
}

/** the ticket's position when it was issued to this customer for this sale, else null */
export function verifyTicket(key: Buffer, ticket: string, { saleId, customerId }: { saleId: string; customerId: string }): number | null {
  const match = TICKET.exec(ticket);
  if (!match) return null;
  const position = Number(match[1]);
  if (!Number.isSafeInteger(position) || position < 1) return null;
  const given = Buffer.from(match[2] as string, 'base64url');
  const expected = macOf(key, saleId, customerId, position);
  return given.length === expected.length && timingSafeEqual(given, expected) ? position : null;
}
