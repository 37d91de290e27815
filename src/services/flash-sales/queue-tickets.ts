import { createHmac, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * A queue ticket: `<position>.<mac>`, the MAC (HMAC-SHA256, 128 bits kept) over the sale, the
 * customer and the position. The sale and the customer are not written in the ticket: they come
 * from the URL and the caller's token, so a ticket used by another customer or for another sale
 * simply fails to verify. Deterministic, so the same customer joining again gets the same ticket.
 */
const TICKET = /^(\d{1,12})\.([A-Za-z0-9_-]{22})$/;

const macOf = (key: Buffer, saleId: string, customerId: string, position: number) =>
  createHmac('sha256', key).update(`floodgate.flash-sale-ticket.v1\n${saleId}\n${customerId}\n${position}`).digest().subarray(0, 16);

/**
 * The customer's ticket, remembered as verified in this process: it signed it, so the customer's first poll here
 * need not check its MAC either. With 100,000 waiting, told to poll seconds apart, most polls of a sale's first
 * minute are each ticket's first (BENCHMARKS.md 2026-12-02: the MAC was ~7 % of a full-size sale's polls).
 */
export function signTicket(key: Buffer, { saleId, customerId, position }: { saleId: string; customerId: string; position: number }): string {
  const ticket = `${position}.${macOf(key, saleId, customerId, position).toString('base64url')}`;
  remember(key, ticket, { saleId, customerId, position });
  return ticket;
}

interface VerifiedTicket {
  saleId: string;
  customerId: string;
  position: number;
}

/**
 * Tickets this process has verified, per ticket key. A waiting customer polls the same ticket every few seconds, and
 * its MAC (an HMAC object, a base64url decode and a compare: ~4 µs here, a tenth of a poll's CPU on the fast lane)
 * need be checked once: later polls find the string and compare its sale and customer with the caller's. Only
 * tickets that verified are kept, so a forged one is checked every time it is sent; per key, so a ticket signed
 * with another key never matches. Bounded by count (the oldest polled go first): ~100 bytes a ticket.
 */
const verified = new WeakMap<Buffer, LRUCache<string, VerifiedTicket>>();
const VERIFIED_TICKETS_MAX = 100_000;

/** the ticket's position when it was issued to this customer for this sale, else null */
export function verifyTicket(key: Buffer, ticket: string, { saleId, customerId }: { saleId: string; customerId: string }): number | null {
  const seen = verified.get(key)?.get(ticket);
  // a MAC binds one sale, customer and position: the same string for anyone else would not verify either
  if (seen) return seen.saleId === saleId && seen.customerId === customerId ? seen.position : null;
  const match = TICKET.exec(ticket);
  if (!match) return null;
  const position = Number(match[1]);
  if (!Number.isSafeInteger(position) || position < 1) return null;
  const given = Buffer.from(match[2] as string, 'base64url');
  const expected = macOf(key, saleId, customerId, position);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  remember(key, ticket, { saleId, customerId, position });
  return position;
}

/** only a ticket whose MAC is right under `key` (checked, or made here) */
function remember(key: Buffer, ticket: string, holder: VerifiedTicket) {
  let memo = verified.get(key);
  if (!memo) verified.set(key, (memo = new LRUCache<string, VerifiedTicket>({ max: VERIFIED_TICKETS_MAX })));
  memo.set(ticket, holder);
}

/** tickets remembered as verified under `key` (tests) */
export const rememberedTickets = (key: Buffer): number => verified.get(key)?.size ?? 0;
