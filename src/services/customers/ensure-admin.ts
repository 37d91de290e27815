import { newId } from '../../platform/ids.js';
import type { Logger } from 'pino';
import type { PasswordHasher } from './password-hasher.js';
import type { CustomerStore } from './storage/customer-store.js';

export interface EnsureAdminDeps {
  store: CustomerStore;
  hasher: PasswordHasher;
  clock: () => Date;
  logger: Logger;
}

/**
 * Makes FLOODGATE_ADMIN_EMAIL / FLOODGATE_ADMIN_PASSWORD a working admin login after every start:
 * creates the account, or promotes an existing one and resets its password. Safe to run from
 * several processes at once, and cheap when nothing changed (one verify, no write).
 */
export const makeEnsureAdmin =
  ({ store, hasher, clock, logger }: EnsureAdminDeps) =>
  async (rawEmail: string, password: string): Promise<void> => {
    const email = rawEmail.trim().toLowerCase();
    let account = await store.findAccountByEmail(email);
    const passwordMatches = account ? await hasher.verify(account.passwordHash, password) : false;
    if (account?.role === 'admin' && passwordMatches && account.passwordHash && !hasher.needsRehash(account.passwordHash)) return;

    const passwordHash = await hasher.hash(password);
    if (!account) {
      const created = await store.insertAccount({ id: newId(), email, name: 'Administrator', role: 'admin', passwordHash, createdAt: clock() });
      if (created) {
        logger.info('admin account created');
        return;
      }
      // another process created it between our read and insert; make sure it ends up like ours
      account = await store.findAccountByEmail(email);
      if (!account) throw new Error('customers: admin account vanished while being created');
    }
    await store.updateAccount(account.id, { role: 'admin', passwordHash });
    // a new password ends the sessions opened with the old one
    if (!passwordMatches) await store.revokeRefreshTokensOf(account.id, clock());
    logger.info({ promoted: account.role !== 'admin', passwordReset: !passwordMatches }, 'admin account updated');
  };
