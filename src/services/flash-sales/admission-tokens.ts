import { createHmac, timingSafeEqual } from 'node:crypto';

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

/** true only for a token this deployment issued to this customer for this sale, still within its life */
export function verifyAdmissionToken(key: Uint8Array, token: string, { saleId, customerId, now }: { saleId: string; customerId: string; now: Date }): boolean {
  if (token.length > MAX_TOKEN_LENGTH || !token.startsWith(`${HEADER}.`)) return false;
  const lastDot = token.lastIndexOf('.');
  if (lastDot <= HEADER.length) return false;
  const given = Buffer.from(token.slice(lastDot + 1), 'base64url');
  // the MAC first: nothing of an unauthenticated payload is decoded
  if (given.length !== SIGNATURE_BYTES || !timingSafeEqual(given, signatureOf(key, token.slice(0, lastDot)))) return false;
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(token.slice(HEADER.length + 1, lastDot), 'base64url').toString('utf8')) as Claims;
  } catch {
    return false;
  }
  // as jose checks them: whole seconds, valid while now < exp, and not before nbf when present
  const seconds = Math.floor(now.getTime() / 1000);
  return (
    typeof claims === 'object' &&
    claims !== null &&
    claims.iss === ISSUER &&
    claims.aud === audienceOf(saleId) &&
    claims.sub === customerId &&
    claims.sale === saleId &&
    typeof claims.exp === 'number' &&
    seconds < claims.exp &&
    (claims.nbf === undefined || (typeof claims.nbf === 'number' && claims.nbf <= seconds))
  );
}
