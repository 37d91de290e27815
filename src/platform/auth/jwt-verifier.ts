import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { CommonErrors } from '../http/app-error.js';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type Principal, type Role } from './principal.js';

export interface JwtVerifierDeps {
  /** current public keys; in-process from the customers service, or fetched from /.well-known/jwks.json */
  loadJwks: () => Promise<JSONWebKeySet>;
  /** how long a fetched key set is trusted before asking again (keys rotate rarely) */
  cacheMs?: number;
}

const ROLES = new Set<Role>(['guest', 'customer', 'admin']);

/**
 * Verifies access tokens locally, so no request pays a call to the customers service.
 * Only ES256 is accepted: `alg: none` and HMAC-confusion tokens fail before any key is used.
 */
export function createJwtVerifier({ loadJwks, cacheMs = 60_000 }: JwtVerifierDeps) {
  let cached: { at: number; keys: ReturnType<typeof createLocalJWKSet> } | undefined;

  const keys = async (force = false) => {
    if (force || !cached || Date.now() - cached.at > cacheMs) {
      cached = { at: Date.now(), keys: createLocalJWKSet(await loadJwks()) };
    }
    return cached.keys;
  };

  const verifyWith = async (token: string, force: boolean) =>
    jwtVerify(token, await keys(force), { algorithms: [TOKEN_ALGORITHM], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE });

  return async function verifyAccessToken(token: string): Promise<Principal> {
    let payload;
    try {
      payload = (await verifyWith(token, false)).payload;
    } catch (err) {
      // a token signed by a key newer than our cache: refresh once, then give up
      if ((err as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw CommonErrors.invalidToken();
      try {
        payload = (await verifyWith(token, true)).payload;
      } catch {
        throw CommonErrors.invalidToken();
      }
    }
    const role = payload.role as Role;
    if (typeof payload.sub !== 'string' || !ROLES.has(role) || payload.typ !== 'access') throw CommonErrors.invalidToken();
    return { customerId: payload.sub, role, via: 'token' };
  };
}
