import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signAdmissionToken, verifyAdmissionToken } from './admission-tokens.js';

const key = new Uint8Array(randomBytes(32));
const saleId = '01a228c6-942a-7fb8-807a-3f8ffd8b10b9';
const now = new Date('2030-01-01T10:00:00Z');

describe('admission tokens', () => {
  it('when a token is checked within its life by its customer for its sale, then it passes; past its life it does not', async () => {
    const token = await signAdmissionToken(key, { saleId, customerId: 'ada', now, ttlMs: 60_000 });
    expect(await verifyAdmissionToken(key, token, { saleId, customerId: 'ada', now: new Date(now.getTime() + 59_000) })).toBe(true);
    expect(await verifyAdmissionToken(key, token, { saleId, customerId: 'ada', now: new Date(now.getTime() + 61_000) })).toBe(false);
  });

  it('when another customer, another sale or another key checks it, then it does not pass', async () => {
    const token = await signAdmissionToken(key, { saleId, customerId: 'ada', now, ttlMs: 60_000 });
    expect(await verifyAdmissionToken(key, token, { saleId, customerId: 'bob', now })).toBe(false);
    expect(await verifyAdmissionToken(key, token, { saleId: '01a228c6-942a-7fb8-807a-3f8ffd8b10ba', customerId: 'ada', now })).toBe(false);
    expect(await verifyAdmissionToken(new Uint8Array(randomBytes(32)), token, { saleId, customerId: 'ada', now })).toBe(false);
  });

  it('when the token is unsigned (alg none) or garbage, then it does not pass', async () => {
    const [, payload] = (await signAdmissionToken(key, { saleId, customerId: 'ada', now, ttlMs: 60_000 })).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    for (const token of [none, 'garbage', 'a.b.c', 'x'.repeat(3000)]) expect(await verifyAdmissionToken(key, token, { saleId, customerId: 'ada', now })).toBe(false);
  });
});
