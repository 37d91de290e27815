import { createHmac, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

const ISSUER = 'floodgate-flash-sales';
const audienceOf = (saleId: string) => `flash-sale:${saleId}`;

const b64url = (text: string) => Buffer.from(text).toString('base64url');
/**
 * The one header this deployment issues. Verification requires these exact bytes, so no token can
 * choose its algorithm (`none`, RS/HS confusion) or carry a key or a `crit` extension: there is
 * nothing in a header to interpret.
 */
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const MAX_TOKEN_LENGTH = 2048;
const SIGNATURE_BYTES = 32;

const signatureOf = (key: Uint8Array, signingInput: string) => createHmac('sha256', key).update(signingInput).digest();

/**
 * An admission token: a short-lived HS256 JWT (sub = the customer, aud = the sale) handed to an
 * admitted ticket. Verifying it needs no database and no counter read, so the reservation path
 * checks admission for free.
 *
 * Signed and verified with node:crypto's HMAC directly, synchronously: through jose, each check was an
 * asynchronous WebCrypto key import plus a verification, the largest piece of a sold-out reservation's
 * CPU (BENCHMARKS.md, 2026-11-29 spike path). The tokens are standard JWTs all the same (the tests
 * check them against jose both ways).
 */
export function signAdmissionToken(key: Uint8Array, { saleId, customerId, now, ttlMs }: { saleId: string; customerId: string; now: Date; ttlMs: number }): string {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = Math.ceil((now.getTime() + ttlMs) / 1000);
  const payload = b64url(JSON.stringify({ sale: saleId, iss: ISSUER, aud: audienceOf(saleId), sub: customerId, iat, exp }));
  const signingInput = `${HEADER}.${payload}`;
  return `${signingInput}.${signatureOf(key, signingInput).toString('base64url')}`;
}

interface Claims {
  sale?: unknown;
  iss?: unknown;
  aud?: unknown;
  sub?: unknown;
  exp?: unknown;
  nbf?: unknown;
}

/** the claims of a token this deployment signed with `key` (MAC checked, nothing else), or null */
function signedClaimsOf(key: Uint8Array, token: string): Claims | null {
  if (token.length > MAX_TOKEN_LENGTH || !token.startsWith(`${HEADER}.`)) return null;
  const lastDot = token.lastIndexOf('.');
  if (lastDot <= HEADER.length) return null;
  const given = Buffer.from(token.slice(lastDot + 1), 'base64url');
  // the MAC first: nothing of an unauthenticated payload is decoded
  if (given.length !== SIGNATURE_BYTES || !timingSafeEqual(given, signatureOf(key, token.slice(0, lastDot)))) return null;
  try {
    const claims = JSON.parse(Buffer.from(token.slice(HEADER.length + 1, lastDot), 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null ? (claims as Claims) : null;
  } catch {
    return null;
  }
}

type Admission = { saleId: string; customerId: string; now: Date };

function admits(claims: Claims, { saleId, customerId, now }: Admission): boolean {
  // as jose checks them: whole seconds, valid while now < exp, and not before nbf when present
  const seconds = Math.floor(now.getTime() / 1000);
  return (
    claims.iss === ISSUER &&
    claims.aud === audienceOf(saleId) &&
    claims.sub === customerId &&
    claims.sale === saleId &&
    typeof claims.exp === 'number' &&
    seconds < claims.exp &&
    (claims.nbf === undefined || (typeof claims.nbf === 'number' && claims.nbf <= seconds))
  );
}

/** true only for a token this deployment issued to this customer for this sale, still within its life */
export function verifyAdmissionToken(key: Uint8Array, token: string, admission: Admission): boolean {
  const claims = signedClaimsOf(key, token);
  return claims !== null && admits(claims, admission);
}

/**
 * verifyAdmissionToken that remembers the claims of the tokens whose MAC it checked, by the whole token, for as
 * long as the key is the same object: an admitted customer's retries (and after the sell-out, every refused
 * reservation of a buyer at their limit) present the same token again, and its HMAC was ~8 % of a sold-out
 * answer's CPU (BENCHMARKS.md, 2026-12-01 14:30). The claims are checked against each request all the same (sale,
 * customer, expiry); a token whose MAC fails is never remembered, so forged tokens cannot fill the memory.
 */
export function createAdmissionVerifier({ maxTokens = 20_000, onCheck }: { maxTokens?: number; onCheck?: (how: 'verified' | 'remembered' | 'refused') => void } = {}) {
  const remembered = new LRUCache<string, Claims>({ max: maxTokens });
  let keyOfRemembered: Uint8Array | undefined;
  return (key: Uint8Array, token: string, admission: Admission): boolean => {
    // another key (rotated, reloaded): nothing checked under the old one counts
    if (key !== keyOfRemembered) {
      remembered.clear();
      keyOfRemembered = key;
    }
    let claims = remembered.get(token);
    if (claims === undefined) {
      const signed = signedClaimsOf(key, token);
      onCheck?.(signed === null ? 'refused' : 'verified');
      if (signed === null) return false;
      remembered.set(token, (claims = signed));
    } else onCheck?.('remembered');
    return admits(claims, admission);
  };
}
