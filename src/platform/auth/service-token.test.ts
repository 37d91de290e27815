import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createServiceTokenIssuer, createServiceTokenVerifier } from './service-token.js';

const KEY = 'k'.repeat(40);

describe('service credentials', () => {
  it('when orders calls inventory with its credential, then inventory learns the caller', async () => {
    const token = await createServiceTokenIssuer({ key: KEY, issuer: 'orders' })('inventory');
    expect(await createServiceTokenVerifier({ key: KEY, audience: 'inventory' })(`Bearer ${token}`)).toBe('orders');
  });

  it('when a credential meant for another service, signed with another key, or expired is shown, then 401 SERVICE_CREDENTIAL_INVALID', async () => {
    const verify = createServiceTokenVerifier({ key: KEY, audience: 'inventory' });
    const forCatalog = await createServiceTokenIssuer({ key: KEY, issuer: 'orders' })('catalog');
    const otherKey = await createServiceTokenIssuer({ key: 'x'.repeat(40), issuer: 'orders' })('inventory');
    const old = await createServiceTokenIssuer({ key: KEY, issuer: 'orders', clock: () => new Date(Date.now() - 120_000) })('inventory');
    for (const token of [forCatalog, otherKey, old]) {
      await expect(verify(`Bearer ${token}`)).rejects.toMatchObject({ code: 'SERVICE_CREDENTIAL_INVALID', kind: 'unauthorized' });
    }
    await expect(verify(undefined)).rejects.toMatchObject({ code: 'SERVICE_CREDENTIAL_REQUIRED' });
  });

  it('when a token with the right key but the access-token type is shown, then it is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const accessLike = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setIssuer('orders').setAudience('inventory').setIssuedAt(now).setExpirationTime(now + 60).sign(new TextEncoder().encode(KEY));
    await expect(createServiceTokenVerifier({ key: KEY, audience: 'inventory' })(`Bearer ${accessLike}`)).rejects.toMatchObject({ code: 'SERVICE_CREDENTIAL_INVALID' });
  });

  it('when the same target is asked for twice within its life, then the credential is reused', async () => {
    const issue = createServiceTokenIssuer({ key: KEY, issuer: 'orders' });
    expect(await issue('inventory')).toBe(await issue('inventory'));
  });
});
