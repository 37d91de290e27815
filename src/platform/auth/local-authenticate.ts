import type { Authenticate, Principal } from './principal.js';

/**
 * How a process other than the account owner resolves credentials: a bearer token is verified here (its
 * signature against the owner's JWKS, its revocation from a copy of the owner's list), so a request costs no
 * call to the customers service; an API key, which only the owner can look up, goes to `apiKeys` (a remote
 * call, cached). As the owner's own authenticate, a bearer wins over a key sent alongside.
 */
export function localAuthenticate({ verifyAccessToken, apiKeys }: { verifyAccessToken: (token: string) => Promise<Principal>; apiKeys: Authenticate }): Authenticate {
  return async ({ bearer, apiKey }) => {
    if (bearer) return verifyAccessToken(bearer);
    if (!apiKey) return null;
    return apiKeys({ apiKey });
  };
}
