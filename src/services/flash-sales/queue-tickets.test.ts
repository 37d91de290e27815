import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rememberedTickets, signTicket, verifyTicket } from './queue-tickets.js';

const key = randomBytes(32);
const sale = { saleId: '01a228c6-942a-7fb8-807a-3f8ffd8b10b9', customerId: 'c1' };

describe('queue tickets', () => {
  it('when a ticket is signed twice for the same customer and position, then it is the same compact string and verifies to its position', () => {
    const ticket = signTicket(key, { ...sale, position: 42 });
    expect(ticket).toBe(signTicket(key, { ...sale, position: 42 }));
    expect(ticket).toMatch(/^42\.[A-Za-z0-9_-]{22}$/);
    expect(verifyTicket(key, ticket, sale)).toBe(42);
  });

  it('when the ticket is checked for another customer, another sale or with another key, then it does not verify', () => {
    const ticket = signTicket(key, { ...sale, position: 7 });
    expect(verifyTicket(key, ticket, { ...sale, customerId: 'c2' })).toBeNull();
    expect(verifyTicket(key, ticket, { ...sale, saleId: '01a228c6-942a-7fb8-807a-3f8ffd8b10ba' })).toBeNull();
    expect(verifyTicket(randomBytes(32), ticket, sale)).toBeNull();
  });

  it.each(['', '7', '7.', 'x.AAAAAAAAAAAAAAAAAAAAAA', '0.AAAAAAAAAAAAAAAAAAAAAA', '-1.AAAAAAAAAAAAAAAAAAAAAA', `8.${'A'.repeat(22)}`, `7.${'A'.repeat(23)}`, '7.AAAAAAAAAAAAAAAAAAAA%2'])(
    'when the ticket is %j, then it does not verify',
    (forged) => {
      expect(verifyTicket(key, forged, sale)).toBeNull();
    },
  );

  it('when a ticket verified once is sent again by its customer, then it verifies; by another customer, for another sale or with another key, it still does not', () => {
    const ticket = signTicket(key, { ...sale, position: 9 });
    expect(verifyTicket(key, ticket, sale)).toBe(9);
    expect(verifyTicket(key, ticket, sale)).toBe(9);
    expect(verifyTicket(key, ticket, { ...sale, customerId: 'c2' })).toBeNull();
    expect(verifyTicket(key, ticket, { ...sale, saleId: '01a228c6-942a-7fb8-807a-3f8ffd8b10ba' })).toBeNull();
    expect(verifyTicket(randomBytes(32), ticket, sale)).toBeNull();
  });

  it('when this process signs a ticket, then it is remembered as verified for its customer and sale only', () => {
    const own = randomBytes(32);
    const ticket = signTicket(own, { ...sale, position: 11 });
    expect(rememberedTickets(own)).toBe(1);
    expect(verifyTicket(own, ticket, { ...sale, customerId: 'c2' })).toBeNull();
    expect(verifyTicket(own, ticket, { ...sale, saleId: '01a228c6-942a-7fb8-807a-3f8ffd8b10ba' })).toBeNull();
    expect(verifyTicket(own, ticket, sale)).toBe(11);
    // signing again (a customer joining again) keeps one entry
    signTicket(own, { ...sale, position: 11 });
    expect(rememberedTickets(own)).toBe(1);
  });

  it('when a forged ticket is sent again, then it is checked again and still does not verify', () => {
    const forged = `9.${'B'.repeat(22)}`;
    expect(verifyTicket(key, forged, sale)).toBeNull();
    expect(verifyTicket(key, forged, sale)).toBeNull();
  });
});
