import { jwtVerify, SignJWT } from 'jose';

const ISSUER = 'floodgate-flash-sales';
const audienceOf = (saleId: string) => `flash-sale:${saleId}`;

/**
 * An admission token: a short-lived HS256 JWT (sub = the customer, aud = the sale) handed to an
 * admitted ticket. Verifying it needs no database and no counter read, so the reservation path
 * checks admission for free.
 */
export async function signAdmissionToken(key: Uint8Array, { saleId, customerId, now, ttlMs }: { saleId: string; customerId: string; now: Date; ttlMs: number }): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ sale: saleId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(audienceOf(saleId))
    .setSubject(customerId)
    .setIssuedAt(iat)
    .setExpirationTime(Math.ceil((now.getTime() + ttlMs) / 1000))
    .sign(key);
}

/** true only for a token this deployment issued to this customer for this sale, still within its life */
export async function verifyAdmissionToken(key: Uint8Array, token: string, { saleId, customerId, now }: { saleId: string; customerId: string; now: Date }): Promise<boolean> {
  if (token.length > 2048) return false;
  try {
    const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, audience: audienceOf(saleId), subject: customerId, currentDate: now });
    return payload['sale'] === saleId;
  } catch {
    return false;
  }
}
