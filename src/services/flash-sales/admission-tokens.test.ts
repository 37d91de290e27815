import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAdmissionVerifier, signAdmissionToken, verifyAdmissionToken as verifyOnce } from './admission-tokens.js';

const key = new Uint8Array(randomBytes(32));
const saleId = '01a228c6-942a-7fb8-807a-3f8ffd8b10b9';
const now = new Date('2030-01-01T10:00:00Z');

// every check below holds for the plain verifier and for one that remembers tokens it verified (asked twice each,
// so the second answer comes from its memory)
const remembering = createAdmissionVerifier();
const verifiers = {
  plain: verifyOnce,
  remembering: (...args: Parameters<typeof verifyOnce>) => remembering(...args) && remembering(...args),
} as const;

describe.each(Object.entries(verifiers))('admission tokens (%s verifier)', (_name, verifyAdmissionToken) => {
  it('when a token is checked within its life by its customer for its sale, then it passes; past its life it does not', () => {
    const token = signAdmissionToken(key, { saleId, customerId: 'ada', now, ttlMs: 60_000 });
    expect(verifyAdmissionToken(key, token, { saleId, customerId: 'ada', now: new Date(now.getTime() + 59_000) })).toBe(true);
    expect(verifyAdmissionToken(key, token, { saleId, customerId: 'ada', now: new Date(now.getTime() + 61_000) })).toBe(false);
  });

  it('when another customer, another sale or another key checks it, then it does not pass', () => {
    const token = signAdmissionToken(key, { saleId, customerId: 'ada', now, ttlMs: 60_000 });
    expect(verifyAdmissionToken(key, token, { saleId, customerId: 'bob', now })).toBe(false);
    expect(verifyAdmissionToken(key, token, { saleId: '01a228c6-942a-7fb8-807a-3f8ffd8b10ba', customerId: 'ada', now })).toBe(false);
    expect(verifyAdmissionToken(new Uint8Array(randomBytes(32)), token, { saleId, customerId: 'ada', now })).toBe(false);
  });

  it('when the token is unsigned (alg none) or garbage, then it does not pass', () => {
    const [, payload] = signAdmissionToken(key, { saleId, customerId: 'ada', now, ttlMs: 60_000 }).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    for (const token of [none, 'garbage', 'a.b.c', 'x'.repeat(3000)]) expect(verifyAdmissionToken(key, token, { saleId, customerId: 'ada', now })).toBe(false);
  });

  it('when a token\'s payload or header is altered after signing, then it does not pass', () => {
    const [header, payload, signature] = signAdmissionToken(key, { saleId, customerId: 'ada', now, ttlMs: 60_000 }).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const longer = Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp as number) + 3_600 })).toString('base64url');
    const otherHeader = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'x' })).toString('base64url');
    for (const token of [`${header}.${longer}.${signature}`, `${otherHeader}.${payload}.${signature}`, `${header}.${payload}.${signature.slice(0, -2)}`]) {
      expect(verifyAdmissionToken(key, token, { saleId, customerId: 'ada', now })).toBe(false);
    }
  });

  it('when tokens cross jose (a standard HS256 JWT library) either way, then each verifies the other\'s', async () => {
    const ours = signAdmissionToken(key, { saleId, customerId: 'ada', now, ttlMs: 60_000 });
    const { payload } = await jwtVerify(ours, key, { algorithms: ['HS256'], issuer: 'floodgate-flash-sales', audience: `flash-sale:${saleId}`, subject: 'ada', currentDate: now });
    expect(payload['sale']).toBe(saleId);
    const theirs = await new SignJWT({ sale: saleId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer('floodgate-flash-sales')
      .setAudience(`flash-sale:${saleId}`)
      .setSubject('ada')
      .setIssuedAt(Math.floor(now.getTime() / 1000))
      .setExpirationTime(Math.floor(now.getTime() / 1000) + 60)
      .sign(key);
    expect(verifyAdmissionToken(key, theirs, { saleId, customerId: 'ada', now })).toBe(true);
  });
});

describe('a remembering admission verifier', () => {
  const token = signAdmissionToken(key, { saleId, customerId: 'ada', now, ttlMs: 60_000 });

  it('when one token is presented again, then its MAC is checked once, and its claims against every request', () => {
    const checks: string[] = [];
    const verify = createAdmissionVerifier({ onCheck: (how) => checks.push(how) });
    expect(verify(key, token, { saleId, customerId: 'ada', now })).toBe(true);
    expect(verify(key, token, { saleId, customerId: 'ada', now })).toBe(true);
    expect(verify(key, token, { saleId, customerId: 'bob', now })).toBe(false);
    expect(verify(key, token, { saleId: '01a228c6-942a-7fb8-807a-3f8ffd8b10ba', customerId: 'ada', now })).toBe(false);
    expect(verify(key, token, { saleId, customerId: 'ada', now: new Date(now.getTime() + 60_000) })).toBe(false);
    expect(checks).toEqual(['verified', 'remembered', 'remembered', 'remembered', 'remembered']);
  });

  it('when tokens fail their MAC, then none is remembered: each is checked again, and they do not push out a good one', () => {
    const checks: string[] = [];
    const verify = createAdmissionVerifier({ maxTokens: 2, onCheck: (how) => checks.push(how) });
    expect(verify(key, token, { saleId, customerId: 'ada', now })).toBe(true);
    const [header, payload] = token.split('.');
    for (let i = 0; i < 5; i++) expect(verify(key, `${header}.${payload}.${'A'.repeat(42)}${i}`, { saleId, customerId: 'ada', now })).toBe(false);
    expect(verify(key, `${header}.${payload}.${'A'.repeat(42)}0`, { saleId, customerId: 'ada', now })).toBe(false);
    expect(verify(key, token, { saleId, customerId: 'ada', now })).toBe(true);
    expect(checks).toEqual(['verified', ...Array(6).fill('refused'), 'remembered']);
  });

  it('when the key is another (rotated or reloaded), then a token remembered under the old one is checked again and fails', () => {
    const checks: string[] = [];
    const verify = createAdmissionVerifier({ onCheck: (how) => checks.push(how) });
    expect(verify(key, token, { saleId, customerId: 'ada', now })).toBe(true);
    expect(verify(new Uint8Array(randomBytes(32)), token, { saleId, customerId: 'ada', now })).toBe(false);
    expect(checks).toEqual(['verified', 'refused']);
  });
});
