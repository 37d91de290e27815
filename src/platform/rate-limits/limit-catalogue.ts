import type { LimitPolicy } from './rate-limiter.js';

/**
 * What a limit counts per:
 * - `address`: the client address (Fastify's req.ip under TRUST_PROXY; IPv6 by its /64)
 * - `customer`: the authenticated principal (a customer, guest, admin, or `apikey:<id>` for an API key)
 * - `account`: the account a login names (its email, lower-cased), known only once the body is read
 */
export type LimitKey = 'address' | 'customer' | 'account';

export interface LimitDefinition {
  key: LimitKey;
  /** `requests`: every request uses a point; `failures`: a request uses one, given back unless it fails (401) */
  counts: 'requests' | 'failures';
  /** the environment variable that sets it, as `<points>/<window>` (e.g. 30/1m) */
  env: string;
  default: LimitPolicy;
  /** for docs/limits.md and the 429's detail */
  what: string;
}

const perMinute = (points: number): LimitPolicy => ({ points, durationSeconds: 60 });
const perHour = (points: number): LimitPolicy => ({ points, durationSeconds: 3_600 });

/**
 * Every named limit. Defaults are set so that a person using the shop never meets one (an office behind one
 * NAT address included); an attacker or a runaway script does. docs/limits.md explains each one.
 */
export const LIMITS = {
  'login-per-address': { key: 'address', counts: 'requests', env: 'RATE_LIMIT_LOGIN_PER_ADDRESS', default: perMinute(30), what: 'login attempts per client address' },
  'login-failures-per-account': { key: 'account', counts: 'failures', env: 'RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT', default: { points: 20, durationSeconds: 300 }, what: 'failed logins per account, from all addresses together' },
  'register-per-address': { key: 'address', counts: 'requests', env: 'RATE_LIMIT_REGISTER_PER_ADDRESS', default: perHour(20), what: 'registrations per client address' },
  'guest-per-address': { key: 'address', counts: 'requests', env: 'RATE_LIMIT_GUEST_PER_ADDRESS', default: perHour(60), what: 'guest sessions started per client address' },
  'refresh-per-address': { key: 'address', counts: 'requests', env: 'RATE_LIMIT_REFRESH_PER_ADDRESS', default: perMinute(60), what: 'token refreshes per client address' },
  'cart-create-per-customer': { key: 'customer', counts: 'requests', env: 'RATE_LIMIT_CART_CREATE_PER_CUSTOMER', default: perHour(30), what: 'carts created per customer' },
  'cart-write-per-customer': { key: 'customer', counts: 'requests', env: 'RATE_LIMIT_CART_WRITE_PER_CUSTOMER', default: perMinute(120), what: 'cart line changes per customer' },
  'checkout-per-customer': { key: 'customer', counts: 'requests', env: 'RATE_LIMIT_CHECKOUT_PER_CUSTOMER', default: perMinute(20), what: 'checkouts per customer' },
  'flash-join-per-customer': { key: 'customer', counts: 'requests', env: 'RATE_LIMIT_FLASH_JOIN_PER_CUSTOMER', default: perMinute(20), what: 'flash-sale queue joins per customer' },
  'flash-reserve-per-customer': { key: 'customer', counts: 'requests', env: 'RATE_LIMIT_FLASH_RESERVE_PER_CUSTOMER', default: perMinute(20), what: 'flash-sale reservations per customer' },
  'admin-per-api-key': { key: 'customer', counts: 'requests', env: 'RATE_LIMIT_ADMIN_PER_API_KEY', default: perMinute(600), what: 'admin requests per API key (or admin account)' },
} as const satisfies Record<string, LimitDefinition>;

export type LimitName = keyof typeof LIMITS;
export const LIMIT_NAMES = Object.keys(LIMITS) as LimitName[];

/** The exponential lockout on login failures per account and client address (failure-lockout.ts). */
export interface LockoutPolicy {
  /** failures allowed before the first lock */
  freeFailures: number;
  /** the first lock; each further failure doubles it */
  baseSeconds: number;
  /** no lock is longer than this */
  maxSeconds: number;
  /** failures are forgotten this long after the first one */
  memorySeconds: number;
}

export const DEFAULT_LOGIN_LOCKOUT: LockoutPolicy = { freeFailures: 5, baseSeconds: 2, maxSeconds: 900, memorySeconds: 86_400 };

export type LimitSettings = { limits: Record<LimitName, LimitPolicy>; loginLockout: LockoutPolicy };

export const DEFAULT_LIMIT_SETTINGS: LimitSettings = {
  limits: Object.fromEntries(LIMIT_NAMES.map((name) => [name, LIMITS[name].default])) as Record<LimitName, LimitPolicy>,
  loginLockout: DEFAULT_LOGIN_LOCKOUT,
};

/** the longest window: 20 days (the in-memory store once expired keys with setTimeout, capped at 24.8 days; the cap stays so no deployment's setting changes meaning) */
export const MAX_WINDOW_SECONDS = 20 * 86_400;
const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;

/** `30/1m` → 30 points per 60 s; undefined when malformed (the caller names the variable) */
export function parseLimitPolicy(text: string): LimitPolicy | undefined {
  const match = /^\s*(\d{1,9})\s*\/\s*(\d{1,7})\s*([smhd])\s*$/.exec(text);
  if (!match) return undefined;
  const points = Number(match[1]);
  const durationSeconds = Number(match[2]) * UNIT_SECONDS[match[3] as keyof typeof UNIT_SECONDS];
  if (points < 1 || durationSeconds < 1 || durationSeconds > MAX_WINDOW_SECONDS) return undefined;
  return { points, durationSeconds };
}

/** `30/1m` for a policy, in the largest whole unit */
export function formatLimitPolicy({ points, durationSeconds }: LimitPolicy): string {
  for (const [unit, seconds] of [['d', 86_400], ['h', 3_600], ['m', 60]] as const) {
    if (durationSeconds % seconds === 0) return `${points}/${durationSeconds / seconds}${unit}`;
  }
  return `${points}/${durationSeconds}s`;
}
