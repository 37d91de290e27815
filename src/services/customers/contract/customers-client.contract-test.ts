import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/http/app-error.js';
import type { CustomersClient } from './customers-client.js';

export interface CustomersClientFixture {
  client: CustomersClient;
  /** a fresh guest's access token and id */
  guest(): Promise<{ token: string; id: string }>;
}

export function customersClientContract(name: string, fixture: () => CustomersClientFixture) {
  describe(`${name} customers client`, () => {
    it("when a guest's token is authenticated, then its principal comes back, and the guest can be looked up", async () => {
      const { client, guest } = fixture();
      const { token, id } = await guest();
      expect(await client.authenticate({ bearer: token })).toMatchObject({ customerId: id, role: 'guest', via: 'token' });
      expect(await client.getCustomer(id)).toMatchObject({ id, role: 'guest' });
      expect(await client.getCustomer(randomUUID())).toBeNull();
      expect(await client.authenticate({})).toBeNull();
    });

    it('when a forged token is authenticated, then the same 401 AppError is thrown', async () => {
      const { client } = fixture();
      const error = await client.authenticate({ bearer: 'not.a.token' }).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'AUTH_TOKEN_INVALID', kind: 'unauthorized' });
    });

    it('when the public keys are asked for, then an ES256 key set comes back', async () => {
      const { keys } = await fixture().client.jwks();
      expect(keys.length).toBeGreaterThan(0);
      expect(keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256' });
    });
  });
}
