import type { AuthLevel } from '../auth/principal.js';
import { LIMITS, type LimitName } from '../rate-limits/limit-catalogue.js';

/** What a route names in `config.rateLimit`: one limit, several, or limits on the account a login names. */
export type RouteRateLimit =
  | LimitName
  | readonly LimitName[]
  | {
      limits: readonly LimitName[];
      /** the account the request names (a login's email), read from the parsed body */
      account?: (body: unknown) => string | undefined;
      /** also apply the exponential lockout per account and client address (login) */
      lockout?: boolean;
    };

export interface RateLimitPlan {
  /** counted onRequest: keyed by client address or principal */
  byRequest: LimitName[];
  /** counted once the body is parsed: keyed by the account it names */
  byAccount: LimitName[];
  account?: (body: unknown) => string | undefined;
  lockout: boolean;
}

/** Every admin route counts against the per-API-key limit unless it names its own. */
export function planOf(rateLimit: RouteRateLimit | undefined, auth: AuthLevel | undefined): RateLimitPlan | undefined {
  const given = rateLimit ?? (auth === 'admin' ? 'admin-per-api-key' : undefined);
  if (!given) return undefined;
  const spec = typeof given === 'string' ? { limits: [given] } : 'limits' in given ? given : { limits: given };
  const names = [...spec.limits];
  const byAccount = names.filter((name) => LIMITS[name].key === 'account');
  if (byAccount.length > 0 && !('account' in spec && spec.account)) {
    throw new Error(`a route naming ${byAccount.join(', ')} must say which account it is for (rateLimit.account)`);
  }
  return {
    byRequest: names.filter((name) => LIMITS[name].key !== 'account'),
    byAccount,
    ...('account' in spec && spec.account ? { account: spec.account } : {}),
    lockout: 'lockout' in spec ? Boolean(spec.lockout) : false,
  };
}
