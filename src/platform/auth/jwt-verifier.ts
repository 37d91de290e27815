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
  /** the key that vouched for it: while the key set still publishes it, the signature stands */
  kid: string;
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
  let cached: { at: number; keys: ReturnType<typeof createLocalJWKSet>; kids: ReadonlySet<string> } | undefined;
  let lastUnknownKidReload = Number.NEGATIVE_INFINITY;
  let reloads = 0;

  const load = async () => {
    reloads++;
    onKeySetLoad?.();
    const jwks = await loadJwks();
    cached = { at: clock().getTime(), keys: createLocalJWKSet(jwks), kids: new Set(jwks.keys.flatMap((k) => (typeof k.kid === 'string' ? [k.kid] : []))) };
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
  // flash-sale poll: ~10 % of its CPU, and ten times the poll itself when it is paid again). A token's bytes either
  // verify or they do not, so a verified one is remembered, by the SHA-256 of its exact text, until it expires or
  // outlives MAX_TOKEN_LIFETIME_SECONDS, for as long as the key set, loaded again every cacheMs, still publishes the
  // key that vouched for it: a withdrawn key stops working as late as it does without this cache. (Remembering a
  // token only for cacheMs made a waiting room's tail, told to poll less than once a minute, pay the full
  // verification on every poll.) Claims and revocation are still checked on every request below.
  const verified = new LRUCache<string, Remembered>({ max: verifiedTokens });

  /** the key set is within its period: its kids are current */
  const keysFresh = (now: number) => cached !== undefined && now - cached.at <= cacheMs;

  /**
   * The claims of a token verified earlier, still within its remembered time and vouched for by a key the current
   * key set publishes, else undefined. The caller makes sure the key set is fresh first (peek cannot wait for it).
   */
  const remembered = (digest: string, now: number): Remembered | undefined => {
    const hit = verified.get(digest);
    if (!hit) return undefined;
    if (now < hit.until && cached?.kids.has(hit.kid)) return hit;
    verified.delete(digest);
    return undefined;
  };

  /**
   * An entry is worth keeping until its token expires; left to the count bound, a shop with many new shoppers kept
   * 100,000 dead entries (~25 MiB), a soak's heap rising for 40 minutes. Each new entry drops the expired ones at
   * the least recently used end, a few at a time: access tokens share one lifetime, so entries expire roughly in the
   * order they were verified, and this keeps up without a timer or a full sweep.
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

  const verifySignature = async (token: string, digest: string, kid: string | undefined): Promise<Remembered> => {
    const now = clock().getTime();
    const payload = await verifySignatureUncached(token);
    const { sub, sid, role, typ, exp, iat, email } = payload as { sub: string; sid: unknown; role: unknown; typ: unknown; exp: number; iat: number; email?: unknown };
    const claims = { sub, sid, role, typ, exp, iat, email, until: Math.min(exp * 1000, (iat + MAX_TOKEN_LIFETIME_SECONDS) * 1000), kid: kid ?? '' };
    dropExpired(now);
    // a token without a kid matched whichever key fitted: it is verified each time instead
    if (kid !== undefined) verified.set(digest, claims);
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
    // once a period the key set is loaded again (what a withdrawn key is noticed by), remembered tokens or not
    // (with keys in hand this never throws: an unreachable source leaves them verifying, asked again after a pause)
    if (cached && !keysFresh(clock().getTime())) await keys();
    let claims = remembered(digest, clock().getTime());
    if (!claims) {
      try {
        const header = decodeProtectedHeader(token);
        if (FORBIDDEN_HEADERS.some((h) => h in header)) throw new Error('key-carrying header');
        claims = await verifySignature(token, digest, typeof header.kid === 'string' ? header.kid : undefined);
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
    const now = clock().getTime();
    // a key set past its period may have withdrawn the key: the framework's path loads it again, then peeks resume
    if (!keysFresh(now)) return undefined;
    const claims = remembered(tokenDigest(token), now);
    const principal = claims && principalOf(claims);
    if (!principal || revocations.isRevokedNow?.({ sid: principal.sessionId!, sub: principal.customerId, iat: claims.iat }) !== false) return undefined;
    onSignature?.('remembered');
    return principal;
  };

  return Object.assign(verifyAccessToken, {
    peek,
    /** how many times the key set was loaded; lets tests see that unknown kids do not force reloads */
    keySetLoads: () => reloads,
    /** verified tokens held (bounded by `verifiedTokens`, and by the tokens' own lifetimes) */
    rememberedTokens: () => verified.size,
  });
}
