import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../http/app-error.js';
import { createJwtVerifier } from './jwt-verifier.js';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from './principal.js';
import type { RevocationList } from './revocation-list.js';

/** the port's semantics in memory: what a single process would hold */
function memoryRevocations(): RevocationList {
  const sessions = new Set<string>();
  const subjects = new Map<string, number>();
  return {
    maxStalenessMs: 0,
    revokeSession: async (sid) => void sessions.add(sid),
    revokeSubject: async (sub, at) => void subjects.set(sub, at.getTime()),
    isRevoked: async ({ sid, sub, iat }) => sessions.has(sid) || iat * 1000 <= (subjects.get(sub) ?? -1),
    isRevokedNow: ({ sid, sub, iat }) => sessions.has(sid) || iat * 1000 <= (subjects.get(sub) ?? -1),
  };
}

async function signingKey() {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: 'ES256', use: 'sig' } as JWK };
}

function setup({ verifiedTokens }: { verifiedTokens?: number } = {}) {
  let now = new Date('2030-01-01T00:00:00Z').getTime();
  const published: JWK[] = [];
  const revocations = memoryRevocations();
  const signatures = { verified: 0, remembered: 0 };
  const verify = createJwtVerifier({
    loadJwks: async () => ({ keys: [...published] }),
    revocations,
    clock: () => new Date(now),
    onSignature: (how) => void signatures[how]++,
    ...(verifiedTokens ? { verifiedTokens } : {}),
  });
  const sign = (key: { kid: string; privateKey: CryptoKey }, claims: Record<string, unknown> = {}, lifetimeS = 900) => {
    const iat = Math.floor(now / 1000);
    return new SignJWT({ role: 'customer', typ: 'access', sid: 'session-1', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt' })
      .setSubject('customer-1')
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetimeS)
      .sign(key.privateKey);
  };
  const outcome = (token: string) => verify(token).then(() => 'accepted', (err: unknown) => (isAppError(err) ? err.code : 'crashed'));
  return { verify, sign, outcome, published, revocations, signatures, advance: (ms: number) => void (now += ms), now: () => new Date(now) };
}

describe('jwt verifier', () => {
  it('when tokens with unknown kids flood in, then the key set is reloaded at most once per 30 s, and a rotated key is still picked up', async () => {
    const t = setup();
    const ours = await signingKey();
    t.published.push(ours.publicJwk);
    expect(await t.outcome(await t.sign(ours))).toBe('accepted');
    expect(t.verify.keySetLoads()).toBe(1);

    const stranger = await signingKey();
    for (let i = 0; i < 20; i++) expect(await t.outcome(await t.sign(stranger))).toBe('AUTH_TOKEN_INVALID');
    expect(t.verify.keySetLoads()).toBe(2);

    // another process rotates: its new key is published, but the 30 s window is still closed
    const rotated = await signingKey();
    t.published.push(rotated.publicJwk);
    t.advance(29_000);
    expect(await t.outcome(await t.sign(rotated))).toBe('AUTH_TOKEN_INVALID');
    expect(t.verify.keySetLoads()).toBe(2);
    t.advance(1_001);
    expect(await t.outcome(await t.sign(rotated))).toBe('accepted');
    expect(t.verify.keySetLoads()).toBe(3);
  });

  it('when a claim the contract requires is missing or the lifetime exceeds 2 h, then the token is refused', async () => {
    const t = setup();
    const ours = await signingKey();
    t.published.push(ours.publicJwk);
    expect(await t.outcome(await t.sign(ours, { sid: undefined }))).toBe('AUTH_TOKEN_INVALID');
    expect(await t.outcome(await t.sign(ours, { typ: 'refresh' }))).toBe('AUTH_TOKEN_INVALID');
    expect(await t.outcome(await t.sign(ours, { role: 'root' }))).toBe('AUTH_TOKEN_INVALID');
    expect(await t.outcome(await t.sign(ours, {}, 2 * 3600 + 1))).toBe('AUTH_TOKEN_INVALID');
    expect(await t.outcome(await t.sign(ours, {}, 2 * 3600))).toBe('accepted');
  });

  it('when a session or a subject is revoked, then its tokens fail and tokens issued after a subject revocation (next second) work', async () => {
    const t = setup();
    const ours = await signingKey();
    t.published.push(ours.publicJwk);
    const token = await t.sign(ours, { sid: 'session-a' });
    const other = await t.sign(ours, { sid: 'session-b' });
    await t.revocations.revokeSession('session-a', t.now());
    expect(await t.outcome(token)).toBe('AUTH_TOKEN_INVALID');
    expect(await t.outcome(other)).toBe('accepted');

    await t.revocations.revokeSubject('customer-1', t.now(), t.now());
    expect(await t.outcome(other)).toBe('AUTH_TOKEN_INVALID');
    t.advance(1_000);
    expect(await t.outcome(await t.sign(ours, { sid: 'session-c' }))).toBe('accepted');
  });

  it('when a verified token is presented again, then it is still refused once it expires, once its key is withdrawn (after the key-set period) and once its session is revoked', async () => {
    const t = setup();
    const ours = await signingKey();
    t.published.push(ours.publicJwk);
    const shortLived = await t.sign(ours, {}, 30);
    expect(await t.outcome(shortLived)).toBe('accepted');
    t.advance(31_000);
    expect(await t.outcome(shortLived)).toBe('AUTH_TOKEN_INVALID');

    const revoked = await t.sign(ours, { sid: 'session-2' });
    expect(await t.outcome(revoked)).toBe('accepted');
    await t.revocations.revokeSession('session-2', t.now());
    expect(await t.outcome(revoked)).toBe('AUTH_TOKEN_INVALID');

    const withdrawn = await t.sign(ours);
    expect(await t.outcome(withdrawn)).toBe('accepted');
    t.published.length = 0;
    t.advance(61_000);
    expect(await t.outcome(withdrawn)).toBe('AUTH_TOKEN_INVALID');
  });

  it('when a crowd larger than the old 10,000-token cache polls in turn, then each token is verified once and remembered after (by default)', async () => {
    const t = setup();
    const ours = await signingKey();
    t.published.push(ours.publicJwk);
    // 12,000 customers' tokens, each presented twice in turn (as a waiting room's polls come)
    const tokens = await Promise.all(Array.from({ length: 12_000 }, (_, i) => t.sign(ours, { sid: `session-${i}` })));
    for (const token of tokens) expect(await t.outcome(token)).toBe('accepted');
    for (const token of tokens) expect(await t.outcome(token)).toBe('accepted');
    expect(t.signatures).toEqual({ verified: 12_000, remembered: 12_000 });
  }, 60_000);

  it('when more tokens come than the cache holds, then the oldest are verified again, and a tampered token never matches a remembered one', async () => {
    const t = setup({ verifiedTokens: 3 });
    const ours = await signingKey();
    t.published.push(ours.publicJwk);
    const tokens = await Promise.all([1, 2, 3, 4].map((i) => t.sign(ours, { sid: `session-${i}` })));
    for (const token of tokens) expect(await t.outcome(token)).toBe('accepted');
    expect(await t.outcome(tokens[3]!)).toBe('accepted');
    expect(t.signatures).toEqual({ verified: 4, remembered: 1 });
    expect(await t.outcome(tokens[0]!)).toBe('accepted'); // evicted: verified again
    expect(t.signatures).toEqual({ verified: 5, remembered: 1 });
    // one character of the payload changed: another digest, so its signature is checked (and fails)
    const [h, p, sig] = tokens[3]!.split('.');
    const tampered = `${h}.${p!.slice(0, -2)}${p!.endsWith('A') ? 'B' : 'A'}${p!.slice(-1)}.${sig}`;
    expect(await t.outcome(tampered)).toBe('AUTH_TOKEN_INVALID');
  });

  it('when remembered tokens expire, then new verifications drop them: the cache holds what is live, not its whole bound', async () => {
    const t = setup({ verifiedTokens: 1_000 });
    const ours = await signingKey();
    t.published.push(ours.publicJwk);
    const early = await Promise.all(Array.from({ length: 100 }, (_, i) => t.sign(ours, { sid: `early-${i}` }, 60)));
    for (const token of early) expect(await t.outcome(token)).toBe('accepted');
    expect(t.verify.rememberedTokens()).toBe(100);
    t.advance(61_000);
    const late = await Promise.all(Array.from({ length: 2 }, (_, i) => t.sign(ours, { sid: `late-${i}` })));
    for (const token of late) expect(await t.outcome(token)).toBe('accepted');
    // 64 dropped with the first new one, the other 36 with the second
    expect(t.verify.rememberedTokens()).toBe(2);
    // an expired one presented again is refused, not answered from its old entry
    expect(await t.outcome(early[0]!)).toBe('AUTH_TOKEN_INVALID');
  });

  it('when a waiting room polls less than once a key-set period, then each token is still verified once while its key stays published, and not at all once it is withdrawn', async () => {
    const t = setup();
    const ours = await signingKey();
    t.published.push(ours.publicJwk);
    const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => t.sign(ours, { sid: `waiting-${i}` })));
    for (const token of tokens) expect(await t.outcome(token)).toBe('accepted');
    // a poll every 90 s: each one past the key set's minute
    for (let round = 0; round < 3; round++) {
      t.advance(90_000);
      for (const token of tokens) expect(await t.outcome(token)).toBe('accepted');
    }
    expect(t.signatures).toEqual({ verified: 50, remembered: 150 });
    // the key is withdrawn: once the key set is loaded again, its remembered tokens fail, without a signature check
    t.published.length = 0;
    t.advance(61_000);
    for (const token of tokens) expect(await t.outcome(token)).toBe('AUTH_TOKEN_INVALID');
    expect(t.signatures.remembered).toBe(150);
  });

  it('when the key set cannot be loaded, then the outage is the answer before any key is known, and the keys in hand keep verifying after (asked again after a pause, not per request)', async () => {
    let now = new Date('2030-01-01T00:00:00Z').getTime();
    const ours = await signingKey();
    let reachable = false;
    let asked = 0;
    const outage = Object.assign(new Error('customers is unavailable'), { code: 'CUSTOMERS_UNAVAILABLE' });
    const verify = createJwtVerifier({
      loadJwks: async () => {
        asked++;
        if (!reachable) throw outage;
        return { keys: [ours.publicJwk] };
      },
      revocations: memoryRevocations(),
      clock: () => new Date(now),
    });
    const signer = setup();
    const token = await signer.sign(ours);
    await expect(verify(token)).rejects.toBe(outage);
    reachable = true;
    expect((await verify(token)).customerId).toBe('customer-1');
    reachable = false;
    now += 61_000; // past the key-set period: a reload is due and fails
    const other = await signer.sign(ours, { sid: 'session-2' });
    expect((await verify(other)).customerId).toBe('customer-1');
    const askedAfterOutage = asked;
    for (let i = 0; i < 5; i++) await verify(await signer.sign(ours, { sid: `session-x${i}` }));
    expect(asked).toBe(askedAfterOutage);
  });

  it('when a token is peeked (the fast lane), then only one verified here before, unexpired, valid and known unrevoked gives its principal', async () => {
    const t = setup();
    const ours = await signingKey();
    t.published.push(ours.publicJwk);
    const token = await t.sign(ours, {}, 60);
    expect(t.verify.peek(token)).toBeUndefined();
    expect(await t.outcome(token)).toBe('accepted');
    expect(t.verify.peek(token)).toMatchObject({ customerId: 'customer-1', role: 'customer', sessionId: 'session-1' });
    // a tampered copy never matches the remembered one
    expect(t.verify.peek(`${token.slice(0, -2)}AA`)).toBeUndefined();
    const badClaims = await t.sign(ours, { typ: 'refresh' });
    expect(await t.outcome(badClaims)).toBe('AUTH_TOKEN_INVALID');
    expect(t.verify.peek(badClaims)).toBeUndefined();
    await t.revocations.revokeSession('session-1', new Date(t.now().getTime() + 3_600_000));
    expect(t.verify.peek(token)).toBeUndefined();
    const other = await t.sign(ours, { sid: 'session-2' }, 60);
    expect(await t.outcome(other)).toBe('accepted');
    expect(t.verify.peek(other)).toBeDefined();
    t.advance(61_000);
    expect(t.verify.peek(other)).toBeUndefined();
    // past the key set's period a peek gives nothing until the framework's path loaded the key set again; then the
    // remembered token is peeked again, its signature not checked twice
    const lasting = await t.sign(ours, { sid: 'session-3' });
    expect(await t.outcome(lasting)).toBe('accepted');
    t.advance(61_000);
    expect(t.verify.peek(lasting)).toBeUndefined();
    const verifiedSoFar = t.signatures.verified;
    expect(await t.outcome(lasting)).toBe('accepted');
    expect(t.verify.peek(lasting)).toMatchObject({ sessionId: 'session-3' });
    expect(t.signatures.verified).toBe(verifiedSoFar);
  });

  it('when the revocation list cannot answer synchronously (no copy loaded yet), then a peek gives nothing, whatever was verified', async () => {
    const ours = await signingKey();
    const verify = createJwtVerifier({
      loadJwks: async () => ({ keys: [ours.publicJwk] }),
      revocations: { maxStalenessMs: 0, revokeSession: async () => {}, revokeSubject: async () => {}, isRevoked: async () => false, isRevokedNow: () => undefined },
      clock: () => new Date('2030-01-01T00:00:00Z'),
    });
    const iat = Math.floor(new Date('2030-01-01T00:00:00Z').getTime() / 1000);
    const token = await new SignJWT({ role: 'guest', typ: 'access', sid: 's' }).setProtectedHeader({ alg: 'ES256', kid: ours.kid, typ: 'at+jwt' })
      .setSubject('g').setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).setJti(randomUUID()).setIssuedAt(iat).setExpirationTime(iat + 60).sign(ours.privateKey);
    expect((await verify(token)).customerId).toBe('g');
    expect(verify.peek(token)).toBeUndefined();
  });
});
