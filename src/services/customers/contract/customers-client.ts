import type { JSONWebKeySet } from 'jose';
import type { Authenticate } from '../../../platform/auth/principal.js';
import type { RevocationRecord } from '../../../platform/auth/revocation-memory.js';

export interface CustomerSummary {
  id: string;
  email: string | null;
  name: string | null;
  role: 'guest' | 'customer' | 'admin';
}

export interface CustomersClient {
  /** resolves a bearer token (JWT, verified locally against the JWKS) or an admin API key */
  authenticate: Authenticate;
  /** public signing keys, as served at /.well-known/jwks.json */
  jwks(): Promise<JSONWebKeySet>;
  getCustomer(id: string): Promise<CustomerSummary | null>;
  /** the access-token revocations made after `sinceMs` whose tokens may still be valid, oldest first (a page at most) */
  revocationsSince(sinceMs: number): Promise<RevocationRecord[]>;
}
