import { LIMITS, LIMIT_NAMES } from '../../src/platform/rate-limits/limit-catalogue.js';

/**
 * Test shops make hundreds of registrations, logins, carts and checkouts from 127.0.0.1, often as one
 * customer, on a machine shared by many test files: with the production defaults they would meet limits and
 * shed answers no test is about. Test shops get limits nobody reaches and an event-loop threshold only a
 * frozen loop reaches; tests about limits and shedding set tight ones (test/e2e/limits.test.ts,
 * src/platform/http/*.test.ts).
 */
export const GENEROUS_LIMITS_ENV: Record<string, string> = {
  ...Object.fromEntries(LIMIT_NAMES.map((name) => [LIMITS[name].env, '1000000/1m'])),
  LOGIN_LOCKOUT_FREE_FAILURES: '1000',
  CARTS_MAX_OPEN_PER_CUSTOMER: '10000',
  OVERLOAD_EVENT_LOOP_DELAY_MS: '5000',
};
