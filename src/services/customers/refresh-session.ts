import type { Logger } from 'pino';
import { auditEntry, type AuditContext, type AuditLog } from '../../platform/audit/audit-log.js';
import type { RevocationList } from '../../platform/auth/revocation-list.js';
import { revocationHorizon } from './revocation-horizon.js';
import type { IssueAccessToken } from './access-tokens.js';
import type { RecordAuthEvent } from './customers-metrics.js';
import type { Session } from './issue-session.js';
import { mintRefreshToken, sha256Hex } from './secret-tokens.js';
import type { CustomerStore, RefreshTokenRecord } from './storage/customer-store.js';

export type RefreshSessionResult =
  | ({ ok: true; customerId: string } & Session)
  | { ok: false; code: 'CUSTOMERS_REFRESH_TOKEN_INVALID' | 'CUSTOMERS_REFRESH_TOKEN_REUSED' };

export interface RefreshSessionDeps {
  store: CustomerStore;
  issueAccessToken: IssueAccessToken;
  accessTokenTtlSeconds: number;
  clock: () => Date;
  record: RecordAuthEvent;
  audit: AuditLog;
  logger: Logger;
  revocations: RevocationList;
}

/**
 * Rotation with reuse detection (OAuth 2.0 Security BCP): every refresh token works once. Seeing a
 * used one again means two parties hold it (a thief and the customer), and we cannot tell which
 * is which, so the whole family from that login is revoked and both must log in again.
 * Two concurrent refreshes with one token are treated the same way: exactly one wins the
 * conditional update; the loser is indistinguishable from a thief racing the customer.
 */
export const makeRefreshSession = ({ store, issueAccessToken, accessTokenTtlSeconds, clock, record, audit, logger, revocations }: RefreshSessionDeps) => {
  const invalid = (): RefreshSessionResult => {
    record('refresh_rejected');
    return { ok: false, code: 'CUSTOMERS_REFRESH_TOKEN_INVALID' };
  };

  const reused = async (token: RefreshTokenRecord, now: Date, by: AuditContext): Promise<RefreshSessionResult> => {
    const revoked = await store.revokeRefreshFamily(token.familyId, now);
    // the access tokens of that login die too: the thief may hold one already
    await revocations.revokeSession(token.familyId, revocationHorizon(now));
    record('refresh_reuse_detected');
    logger.warn({ customerId: token.customerId, familyId: token.familyId, revoked }, 'refresh token reused; token family revoked');
    await audit.record(auditEntry(by, 'auth.refresh_token_reused', { type: 'account', id: token.customerId }, { familyId: token.familyId, revokedTokens: revoked }));
    return { ok: false, code: 'CUSTOMERS_REFRESH_TOKEN_REUSED' };
  };

  return async (refreshToken: string, by: AuditContext): Promise<RefreshSessionResult> => {
    const now = clock();
    const token = await store.findRefreshToken(sha256Hex(refreshToken));
    if (!token || token.revokedAt) return invalid();
    if (token.usedAt) return reused(token, now, by);
    if (token.expiresAt.getTime() <= now.getTime()) return invalid();
    // the role is read now, not copied from the old token, so a promotion or demotion takes effect
    const account = await store.findAccountById(token.customerId);
    if (!account || account.role === 'guest' || (await store.isAccountDeactivated(account.id))) return invalid();

    const next = mintRefreshToken(account.id, token.familyId, now);
    if (!(await store.rotateRefreshToken(token.id, now, next.record))) return reused(token, now, by);
    record('refresh_succeeded');
    const access = await issueAccessToken({ id: account.id, role: account.role, email: account.email }, accessTokenTtlSeconds, token.familyId);
    return { ok: true, customerId: account.id, ...access, refreshToken: next.token };
  };
};
