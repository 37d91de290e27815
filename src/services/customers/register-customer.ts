import { newId } from '../../platform/ids.js';
import type { RecordAuthEvent } from './customers-metrics.js';
import type { IssueSession, Session } from './issue-session.js';
import type { PasswordHasher } from './password-hasher.js';
import type { Account, CustomerStore } from './storage/customer-store.js';

export interface RegisterCustomerInput {
  /** already normalised (trimmed, lowercase) by the caller's schema */
  email: string;
  password: string;
  name: string;
}

export type RegisterCustomerResult = ({ ok: true; customer: Account } & Session) | { ok: false; code: 'CUSTOMERS_EMAIL_TAKEN' };

export interface RegisterCustomerDeps {
  store: CustomerStore;
  hasher: PasswordHasher;
  issueSession: IssueSession;
  clock: () => Date;
  record: RecordAuthEvent;
}

export const makeRegisterCustomer =
  ({ store, hasher, issueSession, clock, record }: RegisterCustomerDeps) =>
  async (input: RegisterCustomerInput): Promise<RegisterCustomerResult> => {
    const customer: Account = {
      id: newId(),
      email: input.email,
      name: input.name,
      role: 'customer',
      passwordHash: await hasher.hash(input.password),
      createdAt: clock(),
    };
    // the unique index decides, so two registrations racing for one email cannot both succeed
    if (!(await store.insertAccount(customer))) return { ok: false, code: 'CUSTOMERS_EMAIL_TAKEN' };
    record('registered');
    return { ok: true, customer, ...(await issueSession(customer)) };
  };
