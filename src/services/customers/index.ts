import { fileURLToPath } from 'node:url';
import type { AuditContext, AuditLog } from '../../platform/audit/audit-log.js';
import { createJwtVerifier } from '../../platform/auth/jwt-verifier.js';
import type { Principal } from '../../platform/auth/principal.js';
import { CommonErrors } from '../../platform/http/app-error.js';
import type { RevocationRecord } from '../../platform/auth/revocation-memory.js';
import type { RevocationList } from '../../platform/auth/revocation-list.js';
import { createSqlRevocationList } from '../../platform/auth/sql-revocation-list.js';
import type { MigrationSource } from '../../platform/db/migrate.js';
import type { ServiceDeps } from '../../platform/service-deps.js';
import type { HttpApp, ServiceModule, Worker } from '../../platform/service.js';
import { ACCESS_TOKEN_TTL_SECONDS, makeIssueAccessToken } from './access-tokens.js';
import { makeAuthenticateCredentials } from './authenticate-credentials.js';
import type { CustomersClient } from './contract/customers-client.js';
import { SESSION_REVOCATIONS_TABLE } from './contract/session-revocations.js';
import { makeCreateApiKey } from './create-api-key.js';
import { createAuthEventRecorder } from './customers-metrics.js';
import { makeDeactivateCustomer } from './deactivate-customer.js';
import { makeEnsureAdmin } from './ensure-admin.js';
import { registerAdminCustomerRoutes } from './http/admin-customer-routes.js';
import { registerApiKeyRoutes } from './http/api-key-routes.js';
import { registerAuthRoutes } from './http/auth-routes.js';
import { makeIssueSession } from './issue-session.js';
import { makeListApiKeys } from './list-api-keys.js';
import { makeLogInCustomer } from './log-in-customer.js';
import { makeLogOutCustomer } from './log-out-customer.js';
import { createArgon2PasswordHasher } from './password-hasher.js';
import { makeRefreshSession } from './refresh-session.js';
import { makeRegisterCustomer } from './register-customer.js';
import { makeRetireSigningKey, type RetireSigningKeyResult } from './retire-signing-key.js';
import { makeRevokeApiKey } from './revoke-api-key.js';
import { makeRotateSigningKey } from './rotate-signing-key.js';
import { makeSealSigningKeys } from './seal-signing-keys.js';
import { createSigningKeys } from './signing-keys.js';
import { makeStartGuestSession } from './start-guest-session.js';
import { createSqlAccountSealing } from './storage/sql-account-sealing.js';
import { createSqlCustomerStore } from './storage/sql-customer-store.js';
import { createSqlSigningKeyStore } from './storage/sql-signing-key-store.js';

export type { CustomersClient } from './contract/customers-client.js';

export const customersMigrations: MigrationSource = {
  schema: 'customers',
  directory: fileURLToPath(new URL('./migrations', import.meta.url)),
  // no customer.* events yet; add the outbox with the first one
  outbox: false,
};

export interface CustomersServiceDeps extends ServiceDeps {
  audit: AuditLog;
  /** access-token lifetime for customers and admins; 15 minutes unless a test shortens it */
  accessTokenTtlSeconds?: number;
  /** the time tokens are issued at; tests move it to make tokens expire */
  clock?: () => Date;
  /**
   * Where revoked sessions are kept; the SQL table (memory + polling) unless the runtime plugs in
   * another adapter (Redis). Its worker, if any, keeps this process's copy fresh.
   */
  revocations?: RevocationList & { worker?: Worker; listSince?: (sinceMs: number) => Promise<RevocationRecord[]> };
}

export interface CustomersService extends ServiceModule<CustomersClient> {
  ensureAdmin(email: string, password: string): Promise<void>;
  /** signs new tokens with a fresh key; the previous one stays published until retired */
  rotateSigningKey(by?: AuditContext): Promise<{ kid: string; previousKid: string | null }>;
  retireSigningKey(kid: string, by?: AuditContext): Promise<RetireSigningKeyResult>;
  /** the principal of an access token this process verified before and still trusts, synchronously (the HTTP fast lane) */
  peekAccessToken(token: string): Principal | undefined;
}

export function createCustomersService(deps: CustomersServiceDeps): CustomersService {
  const { db, logger, metrics, audit, envelope } = deps;
  const clock = deps.clock ?? (() => new Date());
  const accessTokenTtlSeconds = deps.accessTokenTtlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
  const store = createSqlCustomerStore(db, envelope);
  const signingKeyStore = createSqlSigningKeyStore(db);
  const sealSigningKeys = makeSealSigningKeys({ store: signingKeyStore, envelope });
  const accountSealing = createSqlAccountSealing(db, envelope, logger);
  const hasher = createArgon2PasswordHasher();
  const record = createAuthEventRecorder(metrics);
  const signingKeys = createSigningKeys({ store: signingKeyStore, envelope, clock });
  const revocations = deps.revocations ?? createSqlRevocationList({ db, table: SESSION_REVOCATIONS_TABLE, logger, clock });
  const issueAccessToken = makeIssueAccessToken({ signingKeys, clock });
  const issueSession = makeIssueSession({ store, issueAccessToken, accessTokenTtlSeconds, clock });

  // rebuilt when this process changes the key set, so a retired key stops verifying here at once
  const newVerifier = () => createJwtVerifier({ loadJwks: () => signingKeys.jwks(), revocations, clock, onKeySetLoad: () => record('key_set_loaded'), onSignature: (how) => record(how === 'verified' ? 'access_token_verified' : 'access_token_remembered') });
  let verifyAccessToken = newVerifier();
  const onKeysChanged = () => void (verifyAccessToken = newVerifier());

  const { authenticate, forgetApiKey } = makeAuthenticateCredentials({
    store,
    verifyAccessToken: (token) => verifyAccessToken(token),
    clock,
    record,
  });

  const client: CustomersClient = {
    authenticate,
    jwks: () => signingKeys.jwks(),
    async getCustomer(id) {
      const account = await store.findAccountById(id);
      return account ? { id: account.id, email: account.email, name: account.name, role: account.role } : null;
    },
    // what other processes copy to verify tokens themselves (remote-revocation-list.ts); an adapter that
    // cannot list (a test's memory list) has nothing to share
    async revocationsSince(sinceMs) {
      // a peer's malformed argument is its bug, answered 400 here rather than failing in the query as a 500
      if (typeof sinceMs !== 'number' || !Number.isFinite(sinceMs) || sinceMs < 0) throw CommonErrors.validation([{ field: 'args.0', message: 'sinceMs: epoch milliseconds, 0 or more' }]);
      return (await revocations.listSince?.(sinceMs)) ?? [];
    },
  };

  const routes = (app: HttpApp) => {
    registerAuthRoutes(app, {
      registerCustomer: makeRegisterCustomer({ store, hasher, issueSession, clock, record }),
      logInCustomer: makeLogInCustomer({ store, hasher, issueSession, record, audit }),
      refreshSession: makeRefreshSession({ store, issueAccessToken, accessTokenTtlSeconds, clock, record, audit, logger, revocations }),
      logOutCustomer: makeLogOutCustomer({ store, revocations, clock }),
      startGuestSession: makeStartGuestSession({ store, issueAccessToken, clock, record }),
      client,
    });
    registerApiKeyRoutes(app, {
      createApiKey: makeCreateApiKey({ store, audit, clock }),
      listApiKeys: makeListApiKeys({ store }),
      revokeApiKey: makeRevokeApiKey({ store, audit, clock, forgetApiKey }),
    });
    registerAdminCustomerRoutes(app, { deactivateCustomer: makeDeactivateCustomer({ store, revocations, audit, clock }) });
  };

  return {
    name: 'customers',
    // rows written before their secrets were sealed (private signing keys, then account email and
    // name) are sealed on the first start after the upgrade
    migrations: {
      ...customersMigrations,
      afterMigrate: async () => {
        await sealSigningKeys({ rewrap: false });
        await accountSealing.sealPlaintextRows();
      },
    },
    routes,
    client,
    workers: revocations.worker ? [revocations.worker] : [],
    peekAccessToken: (token) => verifyAccessToken.peek(token),
    ensureAdmin: makeEnsureAdmin({ store, hasher, clock, logger }),
    rotateSigningKey: makeRotateSigningKey({ store: signingKeyStore, envelope, audit, signingKeys, clock, onKeysChanged }),
    retireSigningKey: makeRetireSigningKey({ store: signingKeyStore, audit, clock, onKeysChanged }),
    // one report per sealed table set: signing keys, then accounts
    rewrap: async () => [await sealSigningKeys({ rewrap: true }), await accountSealing.rewrapRows()],
  };
}
