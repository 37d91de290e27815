import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { CommonErrors } from '../http/app-error.js';
import { MAX_TOKEN_LIFETIME_SECONDS, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, TOKEN_TYPE, type Principal, type Role } from './principal.js';
import type { RevocationList } from './revocation-list.js';

export interface JwtVerifierDeps {
  /** current public keys; in-process from the customers service, or fetched from /.well-known/jwks.json */
  loadJwks: () => Promise<JSONWebKeySet>;
  revocations: RevocationList;
  clock?: () => Date;
  /** how long a fetched key set is trusted before asking again (keys rotate rarely) */
  cacheMs?: number;
  /**
   * An unknown `kid` reloads the key set at most this often: a rotation in another process is
   * picked up, while a flood of tokens with made-up kids costs one reload, not one per request.
   */
  unknownKidReloadMs?: number;
  /** told each time the key set is (re)loaded; a metric shows that unknown kids cannot force reloads */
  onKeySetLoad?: () => void;
  /**
   * How many verified tokens are remembered. A flash sale's waiting room is polled by every waiting customer in
   * turn: a cache smaller than the crowd misses on every poll, and each miss is an ES256 verification (~150 µs).
   */
  verifiedTokens?: number;
  /** each token whose signature was checked (`verified`) or found remembered: the cache's hit rate */
  onSignature?: (how: 'remembered' | 'verified') => void;
}

/** what a remembered token needs to be checked again without its signature: ~300 bytes an entry */
interface Remembered {
  sub: string;
  email: unknown;
  sid: unknown;
  role: unknown;
  typ: unknown;
  iat: number;
  exp: number;
  until: number;
}

/** 43 characters for any token: the cache holds 100,000 keys in a few MB instead of the tokens' text */
// crypto.hash: the one-shot form, ~40 % cheaper than a Hash object (every authenticated request pays it)
const tokenDigest = (token: string) => hash('sha256', token, 'base64url');

const ROLES = new Set<Role>(['guest', 'customer', 'admin']);

/** at most this many expired verified tokens are dropped per new one: bounded work on the request that verifies */
const EXPIRED_DROPPED_PER_SET = 64;

/** how soon an unreachable key-set source is asked again while the keys in hand keep verifying */
const KEY_SET_RETRY_MS = 5_000;

/** no key set could be loaded yet: carries the source's own error (an outage), which the caller answers */
class KeySetUnavailable extends Error {
  constructor(override readonly cause: unknown) {
    super('the access-token key set could not be loaded', { cause });
  }
}

// Key-carrying headers let a token name its own verification key. We never use them (keys come
// only from our JWKS), and refusing them outright keeps a future library change from trusting one.
const FORBIDDEN_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'] as const;

/**
 * Verifies access tokens locally, so no request pays a call to the customers service.
 * Only ES256 is accepted (`alg: none` and HMAC-confusion tokens fail before any key is used); `exp`,
 * `iat`, `iss`, `aud`, `typ`, `sub`, `sid` and `jti` are required; no token lives longer than
 * MAX_TOKEN_LIFETIME_SECONDS whatever its `exp` says; a revoked session or subject fails.
 */
export function createJwtVerifier({ loadJwks, revocations, clock = () => new Date(), cacheMs = 60_000, unknownKidReloadMs = 30_000, onKeySetLoad, verifiedTokens = 100_000, onSignature }: JwtVerifierDeps) {
  let cached: { at: number; keys: ReturnType<typeof createLocalJWKSet> } | undefined;
  let lastUnknownKidReload = Number.NEGATIVE_INFINITY;
  let reloads = 0;

  const load = async () => {
    reloads++;
    onKeySetLoad?.();
    cached = { at: clock().getTime(), keys: createLocalJWKSet(await loadJwks()) };
    return cached.keys;
  };

  // The key set's source (the customers service, or its database) is unreachable. With keys in hand, they keep
  // verifying (a withdrawn key then works until the source answers again) and the source is asked again after a
  // pause, not on every request; with none yet, the outage itself is the answer (503), never "invalid token".
  const keys = async () => {
    if (cached && clock().getTime() - cached.at <= cacheMs) return cached.keys;
    try {
      return await load();
    } catch (err) {
      if (!cached) throw new KeySetUnavailable(err);
      cached = { ...cached, at: clock().getTime() - cacheMs + KEY_SET_RETRY_MS };
      return cached.keys;
    }
  };

  const verifyWith = async (token: string, keySet: ReturnType<typeof createLocalJWKSet>) =>
    (
      await jwtVerify(token, keySet, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        typ: TOKEN_TYPE,
        requiredClaims: ['exp', 'iat', 'sub', 'jti', 'sid'],
        maxTokenAge: MAX_TOKEN_LIFETIME_SECONDS,
        currentDate: clock(),
      })
    ).payload;

  // An ES256 verification is the largest part of an authenticated request that is otherwise cheap (a
  // flash-sale poll: ~10 % of its CPU). A token's bytes either verify or they do not, so a verified one is
  // remembered, by the SHA-256 of its exact text, until it expires, outlives MAX_TOKEN_LIFETIME_SECONDS, or the
  // key set that vouched for it would have been reloaded (cacheMs: a key withdrawn from the JWKS stops working
  // as late as it does without this cache). Claims and revocation are still checked on every request below.
  const verified = new LRUCache<string, Remembered>({ max: verifiedTokens });

  /** the claims of a token verified earlier and still within its remembered time, else undefined */
  const remembered = (digest: string): Remembered | undefined => {
    const hit = verified.get(digest);
    if (!hit) return undefined;
    if (clock().getTime() < hit.until) return hit;
    verified.delete(digest);
    return undefined;
  };

  /**
   * An entry is worth keeping for cacheMs at most, so the tokens seen in the last minute are all the cache needs;
   * left to the count bound, a shop with many new shoppers kept 100,000 dead entries (~25 MiB), a soak's heap
   * rising for 40 minutes. Each new entry drops the expired ones at the least recently used end, a few at a time:
   * entries expire roughly in the order they were verified, so this keeps up without a timer or a full sweep.
   */
  const dropExpired = (now: number) => {
    const expired: string[] = [];
    for (const digest of verified.rkeys()) {
      const hit = verified.peek(digest);
      if ((hit && hit.until > now) || expired.length >= EXPIRED_DROPPED_PER_SET) break;
      expired.push(digest);
    }
    for (const digest of expired) verified.delete(digest);
  };

  const verifySignature = async (token: string, digest: string): Promise<Remembered> => {
    const now = clock().getTime();
    const payload = await verifySignatureUncached(token);
    const { sub, sid, role, typ, exp, iat, email } = payload as { sub: string; sid: unknown; role: unknown; typ: unknown; exp: number; iat: number; email?: unknown };
    const claims = { sub, sid, role, typ, exp, iat, email, until: Math.min(exp * 1000, (iat + MAX_TOKEN_LIFETIME_SECONDS) * 1000, now + cacheMs) };
    dropExpired(now);
    verified.set(digest, claims);
    return claims;
  };

  const verifySignatureUncached = async (token: string): Promise<JWTPayload> => {
    try {
      return await verifyWith(token, await keys());
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw err;
      // a token signed by a key newer than our cache: reload, but not more than once per period
      const now = clock().getTime();
      if (now - lastUnknownKidReload < unknownKidReloadMs) throw err;
      lastUnknownKidReload = now;
      return verifyWith(token, await load());
    }
  };

  const verifyAccessToken = async (token: string): Promise<Principal> => {
    // a remembered token passed the header check and the signature before: neither is repeated
    const digest = tokenDigest(token);
    let claims = remembered(digest);
    if (!claims) {
      try {
        const header = decodeProtectedHeader(token);
        if (FORBIDDEN_HEADERS.some((h) => h in header)) throw new Error('key-carrying header');
        claims = await verifySignature(token, digest);
      } catch (err) {
        if (err instanceof KeySetUnavailable) throw err.cause;
        throw CommonErrors.invalidToken();
      }
      onSignature?.('verified');
    } else {
      onSignature?.('remembered');
    }
    const principal = principalOf(claims);
    if (!principal || (await revocations.isRevoked({ sid: principal.sessionId!, sub: principal.customerId, iat: claims.iat }))) throw CommonErrors.invalidToken();
    return principal;
  };

  /** the claims every request checks again, remembered signature or not; undefined when they fail */
  const principalOf = (claims: Remembered): Principal | undefined => {
    const { sub, sid, iat, exp } = claims;
    const role = claims.role as Role;
    if (typeof sid !== 'string' || !ROLES.has(role) || claims.typ !== 'access' || exp - iat > MAX_TOKEN_LIFETIME_SECONDS) return undefined;
    return { customerId: sub, role, via: 'token', sessionId: sid, ...(typeof claims.email === 'string' ? { email: claims.email } : {}) };
  };

  /**
   * The principal of a token verified before and still remembered, its claims valid and known not to be revoked,
   * synchronously; undefined for anything else (never verified here, expired, revoked, revocations not loaded):
   * verifyAccessToken then decides, with its errors. For the HTTP fast lane.
   */
  const peek = (token: string): Principal | undefined => {
    const claims = remembered(tokenDigest(token));
    const principal = claims && principalOf(claims);
    if (!principal || revocations.isRevokedNow?.({ sid: principal.sessionId!, sub: principal.customerId, iat: claims.iat }) !== false) return undefined;
    onSignature?.('remembered');
    return principal;
  };

  return Object.assign(verifyAccessToken, {
    peek,
    /** how many times the key set was loaded; lets tests see that unknown kids do not force reloads */
    keySetLoads: () => reloads,
    /** verified tokens held (bounded by `verifiedTokens`, and by what was verified in the last cacheMs) */
    rememberedTokens: () => verified.size,
  });
}
