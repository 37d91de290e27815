import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { AppError } from '../http/app-error.js';

/** the JOSE `typ` of a service credential: no customer or admin token (`at+jwt`, ES256) can pass for one */
export const SERVICE_TOKEN_TYPE = 'internal';
export const SERVICE_TOKEN_ALGORITHM = 'HS256';
/** short-lived: a leaked credential is worth a minute */
export const SERVICE_TOKEN_TTL_SECONDS = 60;
/** a minimum for FLOODGATE_SERVICE_KEY: 256 bits of HMAC key */
export const SERVICE_KEY_MIN_LENGTH = 32;

const encoder = new TextEncoder();

export const ServiceTokenErrors = {
  required: () => new AppError('SERVICE_CREDENTIAL_REQUIRED', 'unauthorized', 'Internal routes need a service credential (Authorization: Bearer <service token>)'),
  invalid: () => new AppError('SERVICE_CREDENTIAL_INVALID', 'unauthorized', 'The service credential is invalid, expired or not meant for this service'),
};

/**
 * Mints the calling service's credential for a target: `iss` the caller, `aud` the target, 60 s. A token
 * is reused until 15 s before it expires, so a busy caller signs one per target every 45 s, not per call.
 */
export function createServiceTokenIssuer({ key, issuer, clock = () => new Date() }: { key: string; issuer: string; clock?: () => Date }) {
  const secret = encoder.encode(key);
  const cache = new Map<string, { token: string; renewAt: number }>();
  return async (audience: string): Promise<string> => {
    const now = clock().getTime();
    const hit = cache.get(audience);
    if (hit && now < hit.renewAt) return hit.token;
    const iat = Math.floor(now / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: SERVICE_TOKEN_ALGORITHM, typ: SERVICE_TOKEN_TYPE })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + SERVICE_TOKEN_TTL_SECONDS)
      .sign(secret);
    cache.set(audience, { token, renewAt: now + (SERVICE_TOKEN_TTL_SECONDS - 15) * 1000 });
    return token;
  };
}

/**
 * Checks a service credential meant for `audience` (this service): HS256 only, `typ` internal, `aud`,
 * `iss`, `iat` and `exp` required, never older than its 60 s. Answers the calling service's name.
 */
export function createServiceTokenVerifier({ key, audience, clock = () => new Date() }: { key: string; audience: string; clock?: () => Date }) {
  const secret = encoder.encode(key);
  return async (authorization: string | undefined): Promise<string> => {
    if (!authorization) throw ServiceTokenErrors.required();
    const token = authorization.startsWith('Bearer ') ? authorization.slice(7).trim() : '';
    if (!token) throw ServiceTokenErrors.invalid();
    try {
      const { payload } = await jwtVerify(token, secret, {
        algorithms: [SERVICE_TOKEN_ALGORITHM],
        typ: SERVICE_TOKEN_TYPE,
        audience,
        requiredClaims: ['iss', 'iat', 'exp'],
        maxTokenAge: SERVICE_TOKEN_TTL_SECONDS,
        currentDate: clock(),
      });
      return String(payload.iss);
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) throw ServiceTokenErrors.invalid();
      throw err;
    }
  };
}
