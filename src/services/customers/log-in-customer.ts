import { auditEntry, type AuditContext, type AuditLog } from '../../platform/audit/audit-log.js';
import type { RecordAuthEvent } from './customers-metrics.js';
import type { IssueSession, Session } from './issue-session.js';
import type { PasswordHasher } from './password-hasher.js';
import type { Account, CustomerStore } from './storage/customer-store.js';

export type LogInCustomerResult = ({ ok: true; customer: Account } & Session) | { ok: false; code: 'CUSTOMERS_INVALID_CREDENTIALS' };

export interface LogInCustomerDeps {
  store: CustomerStore;
  hasher: PasswordHasher;
  issueSession: IssueSession;
  record: RecordAuthEvent;
  audit: AuditLog;
}

export const makeLogInCustomer =
  ({ store, hasher, issueSession, record, audit }: LogInCustomerDeps) =>
  async (input: { email: string; password: string }, by: AuditContext): Promise<LogInCustomerResult> => {
    const account = await store.findAccountByEmail(input.email);
    // always one argon2 verify (against a dummy hash when the email is unknown): the answer takes
    // as long either way, so timing does not reveal which emails have accounts
    const valid = await hasher.verify(account?.passwordHash ?? null, input.password);
    // a deactivated account gets the same answer as a wrong password: nothing to learn from it
    if (!account || !valid || (await store.isAccountDeactivated(account.id))) {
      record('login_failed');
      // never the email tried: it is personal data, and often a password typed in the wrong field
      const target = account ? { type: 'account', id: account.id } : null;
      await audit.record(auditEntry(by, 'auth.login_failed', target, { reason: account ? 'wrong_password' : 'unknown_email' }));
      return { ok: false, code: 'CUSTOMERS_INVALID_CREDENTIALS' };
    }
    if (account.passwordHash && hasher.needsRehash(account.passwordHash)) {
      // the only moment we hold the plain password: upgrade hashes made under an older policy
      await store.updateAccount(account.id, { passwordHash: await hasher.hash(input.password) });
    }
    record('login_succeeded');
    return { ok: true, customer: account, ...(await issueSession(account)) };
  };
