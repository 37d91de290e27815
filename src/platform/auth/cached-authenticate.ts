import { LRUCache } from 'lru-cache';
import type { Authenticate, Credentials, Principal } from './principal.js';

/**
 * Remembers what a remote `authenticate` (the customers service over HTTP) answered for the same
 * credentials, for `ttlMs`: a shopper's burst of requests costs one call. Only successes are kept, and
 * for no longer than the revocation list's own staleness (500 ms), so a logout or a revoked key stops
 * working here as soon as it would in the customers process itself.
 */
export function cachedAuthenticate(authenticate: Authenticate, { ttlMs = 500, max = 50_000 }: { ttlMs?: number; max?: number } = {}): Authenticate {
  const cache = new LRUCache<string, Principal>({ max, ttl: ttlMs });
  const keyOf = ({ bearer, apiKey }: Credentials) => (bearer ? `b:${bearer}` : apiKey ? `k:${apiKey}` : undefined);
  return async (credentials) => {
    const key = keyOf(credentials);
    if (!key) return null;
    const hit = cache.get(key);
    if (hit) return hit;
    const principal = await authenticate(credentials);
    if (principal) cache.set(key, principal);
    return principal;
  };
}
