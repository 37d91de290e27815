import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuditLog } from '../../../test/support/audit.js';
import { createTestEnvelope } from '../../../test/support/envelope.js';
import { SYSTEM_AUDIT_CONTEXT, type AuditLog } from '../../platform/audit/audit-log.js';
import { createJwtVerifier } from '../../platform/auth/jwt-verifier.js';
import { createSqlRevocationList } from '../../platform/auth/sql-revocation-list.js';
import { type Database } from '../../platform/db/database.js';
import { isAppError } from '../../platform/http/app-error.js';
import { makeAuthenticateCredentials } from './authenticate-credentials.js';
import { makeCreateApiKey } from './create-api-key.js';
import { customersMigrations } from './index.js';
import { makeRevokeApiKey } from './revoke-api-key.js';
import { createSigningKeys } from './signing-keys.js';
import type { CustomerStore } from './storage/customer-store.js';
import { createSqlCustomerStore } from './storage/sql-customer-store.js';
import { createSqlSigningKeyStore } from './storage/sql-signing-key-store.js';
import { createMigratedPglite } from '../../../test/support/databases.js';

describe('authenticate credentials', () => {
  let db: Database;
  let audit: AuditLog;
  beforeAll(async () => {
    db = await createMigratedPglite([customersMigrations]);
    audit = await createTestAuditLog(db);
  });
  afterAll(() => db?.close());

  const clock = () => new Date();
  const envelope = createTestEnvelope();
  /** one authenticator per simulated process, each with its own cache */
  const processOf = (apiKeyCacheMs: number) => {
    const store = createSqlCustomerStore(db, envelope);
    const signingKeys = createSigningKeys({ store: createSqlSigningKeyStore(db), envelope, clock });
    const revocations = createSqlRevocationList({ db, table: 'customers.session_revocations', logger: pino({ level: 'silent' }) });
    const verifyAccessToken = createJwtVerifier({ loadJwks: () => signingKeys.jwks(), revocations });
    return { store, ...makeAuthenticateCredentials({ store, verifyAccessToken, clock, record: () => {}, apiKeyCacheMs }) };
  };

  const createKey = async (store: CustomerStore, name: string) => {
    const created = await makeCreateApiKey({ store, audit, clock })({ name }, SYSTEM_AUDIT_CONTEXT);
    if (!created.ok) throw new Error(created.message);
    return created;
  };

  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (err: unknown) => (isAppError(err) ? err.code : 'crashed'),
    );

  it('when no credentials are sent, then there is no principal', async () => {
    expect(await processOf(1_000).authenticate({})).toBeNull();
  });

  it('when a key is valid, then it resolves to an admin principal named after the key', async () => {
    const p = processOf(1_000);
    const { apiKey, key } = await createKey(p.store, 'erp');
    expect(await p.authenticate({ apiKey: key })).toEqual({ customerId: `apikey:${apiKey.id}`, role: 'admin', via: 'api_key' });
  });

  it('when a key is revoked in one process, then it fails there at once and in another within its cache period', async () => {
    const one = processOf(150);
    const two = processOf(150);
    const { apiKey, key } = await createKey(one.store, 'pos');
    await Promise.all([one.authenticate({ apiKey: key }), two.authenticate({ apiKey: key })]);

    await makeRevokeApiKey({ store: one.store, audit, clock, forgetApiKey: one.forgetApiKey })(apiKey.id, SYSTEM_AUDIT_CONTEXT);
    expect(await rejection(one.authenticate({ apiKey: key }))).toBe('CUSTOMERS_API_KEY_INVALID');
    expect(await rejection(two.authenticate({ apiKey: key }))).toBe('accepted');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await rejection(two.authenticate({ apiKey: key }))).toBe('CUSTOMERS_API_KEY_INVALID');
  });

  it('when a bearer token is invalid, then it is refused even if a valid api key comes along', async () => {
    const p = processOf(1_000);
    const { key } = await createKey(p.store, 'mixed');
    expect(await rejection(p.authenticate({ bearer: 'e30.e30.x', apiKey: key }))).toBe('AUTH_TOKEN_INVALID');
  });
});
