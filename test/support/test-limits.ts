import { LIMITS, LIMIT_NAMES } from '../../src/platform/rate-limits/limit-catalogue.js';

/**
 * Test shops make hundreds of registrations, logins, carts and checkouts from 127.0.0.1, often as one
 * customer, on a machine shared by many test files: with the production defaults they would meet limits and
 * shed answers no test is about. Test shops get limits nobody reaches and shedding thresholds only a
 * frozen process reaches; tests about limits and shedding set tight ones (test/e2e/limits.test.ts,
 * src/platform/http/*.test.ts).
 */
/** shedding thresholds only a frozen process reaches: a loop stalled 5 s, a class whose every answer takes 5 s */
export const TEST_SHEDDING_ENV: Record<string, string> = {
  OVERLOAD_EVENT_LOOP_DELAY_MS: '5000',
  OVERLOAD_LATENCY_TARGET_LOW_MS: '5000',
  OVERLOAD_LATENCY_TARGET_NORMAL_MS: '5000',
  OVERLOAD_LATENCY_TARGET_HIGH_MS: '5000',
  OVERLOAD_LATENCY_TARGET_CRITICAL_MS: '5000',
};

export const GENEROUS_LIMITS_ENV: Record<string, string> = {
  ...Object.fromEntries(LIMIT_NAMES.map((name) => [LIMITS[name].env, '1000000/1m'])),
  LOGIN_LOCKOUT_FREE_FAILURES: '1000',
  CARTS_MAX_OPEN_PER_CUSTOMER: '10000',
  ...TEST_SHEDDING_ENV,
};
