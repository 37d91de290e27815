import { newId } from '../../platform/ids.js';
import type { IssueAccessToken } from './access-tokens.js';
import { mintRefreshToken } from './secret-tokens.js';
import type { Account, CustomerStore } from './storage/customer-store.js';

export interface Session {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
}

export type IssueSession = (account: Account) => Promise<Session>;

export interface IssueSessionDeps {
  store: CustomerStore;
  issueAccessToken: IssueAccessToken;
  accessTokenTtlSeconds: number;
  clock: () => Date;
}

/** A login starts a new refresh-token family: reuse detection later revokes exactly this login's tokens. */
export const makeIssueSession =
  ({ store, issueAccessToken, accessTokenTtlSeconds, clock }: IssueSessionDeps): IssueSession =>
  async (account) => {
    // the family id is the session id (`sid`): ending the family ends its access tokens too
    const sessionId = newId();
    const refresh = mintRefreshToken(account.id, sessionId, clock());
    await store.insertRefreshToken(refresh.record);
    const access = await issueAccessToken({ id: account.id, role: account.role, email: account.email }, accessTokenTtlSeconds, sessionId);
    return { ...access, refreshToken: refresh.token };
  };
