/** Who is calling. Guests are real principals: a guest owns its carts and orders like a customer. */
export type Role = 'guest' | 'customer' | 'admin';

export interface Principal {
  customerId: string;
  role: Role;
  /** how the caller proved it: a JWT access token, or an admin API key */
  via: 'token' | 'api_key';
  /** the login (or guest visit) a token belongs to: what logout and revocation end */
  sessionId?: string;
  /** a registered account's email, from its access token (the `email` claim): where an order's receipt goes */
  email?: string;
}

/**
 * What a route requires:
 * - `any`: a guest, customer or admin token
 * - `customer`: a registered customer or admin (no guests)
 * - `admin`: role admin, or an admin API key
 * - `optional`: anonymous allowed; a token, if sent, must be valid
 */
export type AuthLevel = 'any' | 'customer' | 'admin' | 'optional';

export interface Credentials {
  bearer?: string;
  apiKey?: string;
}

/** Resolves credentials to a principal; null when they are absent. Throws AppError when they are invalid. */
export type Authenticate = (credentials: Credentials) => Promise<Principal | null>;

/** JWT settings shared by the issuer (customers) and every verifier. */
export const TOKEN_ISSUER = 'floodgate';
export const TOKEN_AUDIENCE = 'floodgate-api';
export const TOKEN_ALGORITHM = 'ES256';
/** the JOSE header `typ` of an access token (RFC 9068) */
export const TOKEN_TYPE = 'at+jwt';
/** no access token is accepted longer than this after it was issued, whatever its `exp` says */
export const MAX_TOKEN_LIFETIME_SECONDS = 2 * 60 * 60;
