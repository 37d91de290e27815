import { LRUCache } from 'lru-cache';
import type { Authenticate, Principal } from '../../platform/auth/principal.js';
import { API_KEY_FORMAT } from './create-api-key.js';
import type { RecordAuthEvent } from './customers-metrics.js';
import { CustomersErrors } from './errors.js';
import { sha256Hex } from './secret-tokens.js';
import type { CustomerStore } from './storage/customer-store.js';

export interface AuthenticateCredentialsDeps {
  store: CustomerStore;
  /** verifies a JWT locally against the JWKS; throws AppError 401 when invalid */
  verifyAccessToken: (token: string) => Promise<Principal>;
  clock: () => Date;
  record: RecordAuthEvent;
  /**
   * How long an API key lookup is trusted. Short, because it is also how long a key revoked by
   * another process keeps working here; long enough that an integration's burst costs one query.
   */
  apiKeyCacheMs?: number;
}

type CachedLookup = { principal: Principal | null; expiresAt: number | null };

export function makeAuthenticateCredentials({ store, verifyAccessToken, clock, record, apiKeyCacheMs = 10_000 }: AuthenticateCredentialsDeps) {
  // misses are cached too, so a flood of one bad key does not become a flood of queries
  const cache = new LRUCache<string, CachedLookup>({ max: 10_000, ttl: apiKeyCacheMs });

  const lookupApiKey = async (keyHash: string): Promise<Principal | null> => {
    const now = clock();
    const hit = cache.get(keyHash);
    // a cached key still expires on time, not up to a cache period late
    if (hit) return hit.expiresAt !== null && hit.expiresAt <= now.getTime() ? null : hit.principal;
    // the store writes last_used_at at most once a minute per key; the cache spares even the read
    const key = await store.useApiKey(keyHash, now);
    const principal: Principal | null = key ? { customerId: `apikey:${key.id}`, role: key.role, via: 'api_key' } : null;
    cache.set(keyHash, { principal, expiresAt: key?.expiresAt?.getTime() ?? null });
    return principal;
  };

  const authenticate: Authenticate = async ({ bearer, apiKey }) => {
    // a bearer token wins over an api key sent alongside; it must then be valid on its own
    if (bearer) return verifyAccessToken(bearer);
    if (!apiKey) return null;
    // malformed keys are refused without hashing or a cache slot
    const principal = API_KEY_FORMAT.test(apiKey) ? await lookupApiKey(sha256Hex(apiKey)) : null;
    if (!principal) {
      record('api_key_rejected');
      throw CustomersErrors.apiKeyInvalid();
    }
    return principal;
  };

  return { authenticate, forgetApiKey: (keyHash: string) => void cache.delete(keyHash) };
}
