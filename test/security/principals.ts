import type { Api, CallOptions } from '../support/api.js';
import type { createShopper } from '../support/api.js';

/** Every kind of caller the API knows, plus none: the roles of the authorization matrices. */
export type Role = 'owner' | 'otherCustomer' | 'guest' | 'anonymous' | 'admin' | 'apiKey';
export const ROLES: Role[] = ['owner', 'otherCustomer', 'guest', 'anonymous', 'admin', 'apiKey'];

export type Principals = Record<Role, CallOptions> & { ownerId: string; ownerToken: string; ownerEmail: string };

/** Real callers made through the API: two customers, a guest, the admin, an admin API key. */
export async function makePrincipals(api: Api, shopper: ReturnType<typeof createShopper>, adminToken: string): Promise<Principals> {
  const owner = await shopper.register('Owner Customer');
  const other = await shopper.register('Other Customer');
  const guest = await shopper.guestToken();
  const key = await api.post('/v1/admin/api-keys', { name: `security-matrix-${Date.now().toString(36)}` }, { token: adminToken });
  if (key.status !== 201) throw new Error(`api key failed: ${key.status} ${JSON.stringify(key.body)}`);
  return {
    owner: { token: owner.token },
    otherCustomer: { token: other.token },
    guest: { token: guest },
    anonymous: {},
    admin: { token: adminToken },
    apiKey: { headers: { 'x-api-key': key.body.key as string } },
    ownerId: owner.id,
    ownerToken: owner.token,
    ownerEmail: owner.email,
  };
}
