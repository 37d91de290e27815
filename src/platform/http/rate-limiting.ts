import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createFailureLockout } from '../rate-limits/failure-lockout.js';
import { leasedLimiter } from '../rate-limits/leased-limiter.js';
import { LIMITS, LIMIT_NAMES, type LimitName, type LimitSettings } from '../rate-limits/limit-catalogue.js';
import type { LimitPolicy, LimitState, RateLimiter, RateLimiterStore } from '../rate-limits/rate-limiter.js';
import type { Metrics } from '../telemetry/metrics.js';
import { AppError } from './app-error.js';
import { clientAddressKey } from './client-address.js';
import { sendProblem } from './problem-details.js';
import { planOf, type RateLimitPlan, type RouteRateLimit } from './rate-limit-plan.js';
import { appendRouteHook } from './route-hooks.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the named limits (rate-limits/limit-catalogue.ts) this route counts against; admin routes get `admin-per-api-key` */
    rateLimit?: RouteRateLimit;
    /** filled in from `rateLimit` when the route is added */
    rateLimitPlan?: RateLimitPlan;
  }
}

export interface RateLimitingOptions {
  store: RateLimiterStore;
  settings: LimitSettings;
  metrics: Metrics;
}

export const LOGIN_LOCKOUT = 'login-lockout';
// under 24.8 days: the in-memory store expires keys with setTimeout, which fires at once past 2^31 ms
const KNOWN_ADDRESS_SECONDS = 20 * 86_400;

export const RateLimitErrors = {
  limited: (limit: string, what: string, retryAfterSeconds: number) =>
    new AppError('RATE_LIMITED', 'rate_limited', `Too many ${what} (limit ${limit}); retry after ${retryAfterSeconds} s`, { retryAfterSeconds }),
};

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** draft-ietf-httpapi-ratelimit-headers: `"name";q=<quota>;w=<window s>` and `"name";r=<remaining>;t=<reset s>` */
function limitHeaders(counted: Array<{ name: string; policy: LimitPolicy; state: LimitState }>): Record<string, string> {
  if (counted.length === 0) return {};
  return {
    'ratelimit-policy': counted.map(({ name, policy }) => `"${name}";q=${policy.points};w=${policy.durationSeconds}`).join(', '),
    ratelimit: counted.map(({ name, state }) => `"${name}";r=${state.remaining};t=${state.allowed ? Math.ceil(state.resetMs / 1000) : seconds(state.resetMs)}`).join(', '),
  };
}
function setLimitHeaders(reply: FastifyReply, counted: Array<{ name: string; policy: LimitPolicy; state: LimitState }>) {
  if (counted.length > 0) reply.headers(limitHeaders(counted));
}

interface LoginAttempt {
  account: string;
  pair: string;
  /** failure-counting limits whose point is given back unless the answer is a failure */
  provisional: RateLimiter[];
}
const attemptOf = Symbol('floodgate.loginAttempt');
type Attempting = FastifyRequest & { [attemptOf]?: LoginAttempt };

/**
 * Rate limits and quotas as route options: `config: { rateLimit: 'cart-write-per-customer' }`. Limits keyed by
 * client address or principal are counted onRequest (after auth, before the body is read); limits keyed by
 * the account a login names are counted once the body is parsed, with the exponential lockout per account
 * and address. A refused request gets 429 problem+json `RATE_LIMITED` with Retry-After and the IETF
 * RateLimit / RateLimit-Policy headers, and its handler never runs: it writes nothing. If the limit store
 * fails (Redis down and its fallback too), the request is let through and the failure logged: limits
 * protect the shop, they must not take it down.
 */
export const rateLimiting = fp(
  async (app: FastifyInstance, { store, settings, metrics }: RateLimitingOptions) => {
    const decisions = metrics.counter('floodgate_ratelimit_decisions_total', 'Rate-limit decisions by limit: allowed, or limited (429 RATE_LIMITED)', ['limiter', 'result']);
    // every request a limit lets through counts one: a tally per limit, not a label lookup each (metrics.ts)
    const allowed = metrics.tallyPer(decisions, (limiter: string) => ({ limiter, result: 'allowed' }));
    const limiters = Object.fromEntries(LIMIT_NAMES.map((name) => [name, store.limiter(name, settings.limits[name])])) as Record<LimitName, RateLimiter>;
    // request limits in a shared store are counted a lease at a time (leased-limiter.ts): one Redis round trip per
    // tenth of a key's window instead of one per request, never more than the limit. Failure counts stay exact.
    const byRequest = store.kind === 'redis' ? (Object.fromEntries(LIMIT_NAMES.map((name) => [name, leasedLimiter(limiters[name])])) as Record<LimitName, RateLimiter>) : limiters;
    const lockout = createFailureLockout(store, LOGIN_LOCKOUT, settings.loginLockout);
    // an address an account logged in from before: the per-account cap (which an attacker can fill) spares it
    const knownAddresses = store.limiter('login-known-address', { points: Number.MAX_SAFE_INTEGER, durationSeconds: KNOWN_ADDRESS_SECONDS });
    const lockoutPolicy: LimitPolicy = { points: settings.loginLockout.freeFailures, durationSeconds: settings.loginLockout.memorySeconds };


    const refuse = (req: FastifyRequest, reply: FastifyReply, name: string, what: string, retryAfterMs: number) => {
      decisions.inc({ limiter: name, result: 'limited' });
      return sendProblem(reply, req, RateLimitErrors.limited(name, what, seconds(retryAfterMs)));
    };

    type Counted = { name: LimitName; policy: LimitPolicy; state: LimitState };
    const keyOf = (name: LimitName, req: FastifyRequest) => (LIMITS[name].key === 'address' ? clientAddressKey(req.ip) : req.principal?.customerId);
    /** records one limit's answer; true when it refused the request (the 429 is sent) */
    const counts = (req: FastifyRequest, reply: FastifyReply, name: LimitName, state: LimitState, counted: Counted[]) => {
      counted.push({ name, policy: byRequest[name].policy, state });
      if (state.allowed) {
        allowed(name);
        return false;
      }
      setLimitHeaders(reply, counted);
      refuse(req, reply, name, LIMITS[name].what, state.resetMs);
      return true;
    };
    const letThrough = (req: FastifyRequest, err: unknown) => req.log.warn({ err }, 'rate limits unavailable; request let through');
    /** the limits from `from` on, through the store; true when one refused */
    const countRest = async (req: FastifyRequest, reply: FastifyReply, names: readonly LimitName[], from: number, counted: Counted[]) => {
      for (let i = from; i < names.length; i++) {
        const name = names[i]!;
        const key = keyOf(name, req);
        if (key && counts(req, reply, name, await byRequest[name].consume(key), counted)) return true;
      }
      return false;
    };

    // callback-style: a limit answered from its lease in memory (consumeNow) costs the request no promise
    const countByRequest = (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      const plan = req.routeOptions.config?.rateLimitPlan;
      if (!plan || plan.byRequest.length === 0) return done();
      const names = plan.byRequest;
      const counted: Counted[] = [];
      try {
        for (let i = 0; i < names.length; i++) {
          const name = names[i]!;
          const key = keyOf(name, req);
          if (!key) continue;
          const state = byRequest[name].consumeNow?.(key);
          if (state === undefined) {
            countRest(req, reply, names, i, counted).then(
              (refused) => {
                if (refused) return;
                setLimitHeaders(reply, counted);
                done();
              },
              (err: unknown) => {
                letThrough(req, err);
                done();
              },
            );
            return;
          }
          // refused: the answer is sent, and a callback hook that answered does not call done
          if (counts(req, reply, name, state, counted)) return;
        }
      } catch (err) {
        letThrough(req, err);
        return done();
      }
      setLimitHeaders(reply, counted);
      done();
    };

    const countByAccount = async (req: FastifyRequest, reply: FastifyReply) => {
      const plan = req.routeOptions.config?.rateLimitPlan;
      const account = plan?.account?.(req.body)?.trim().toLowerCase();
      if (!plan || !account) return;
      const pair = `${account}|${clientAddressKey(req.ip)}`;
      try {
        if (plan.lockout) {
          const check = await lockout.check(pair);
          if (check.locked) {
            setLimitHeaders(reply, [{ name: LOGIN_LOCKOUT, policy: lockoutPolicy, state: { allowed: false, remaining: 0, consumed: 0, resetMs: check.retryAfterMs } }]);
            return refuse(req, reply, LOGIN_LOCKOUT, 'failed logins for this account from this address', check.retryAfterMs);
          }
        }
        const provisional: RateLimiter[] = [];
        const known = plan.lockout && (await knownAddresses.peek(pair)).consumed > 0;
        for (const name of known ? [] : plan.byAccount) {
          const state = await limiters[name].consume(account);
          if (!state.allowed) {
            // a refused attempt is no failure: its point goes back, so the window ends when the last real failure ages out
            await limiters[name].reward(account);
            return refuse(req, reply, name, LIMITS[name].what, state.resetMs);
          }
          allowed(name);
          if (LIMITS[name].counts === 'failures') provisional.push(limiters[name]);
        }
        (req as Attempting)[attemptOf] = { account, pair, provisional };
      } catch (err) {
        req.log.warn({ err }, 'rate limits unavailable; request let through');
      }
    };

    // the outcome decides what an attempt counted as: 401 is a failed login, anything else gives its point back
    const settleAttempt = async (req: FastifyRequest, reply: FastifyReply) => {
      const attempt = (req as Attempting)[attemptOf];
      if (!attempt) return;
      try {
        if (reply.statusCode === 401) {
          if (req.routeOptions.config?.rateLimitPlan?.lockout) await lockout.recordFailure(attempt.pair);
          return;
        }
        await Promise.all(attempt.provisional.map((limiter) => limiter.reward(attempt.account)));
        if (reply.statusCode < 300 && req.routeOptions.config?.rateLimitPlan?.lockout) {
          await Promise.all([lockout.recordSuccess(attempt.pair), knownAddresses.penalty(attempt.pair)]);
        }
      } catch (err) {
        req.log.warn({ err }, 'rate limits unavailable; login outcome not counted');
      }
    };

    // The HTTP fast lane's writes (fast-lane-writes.ts) are counted here as countByRequest counts a route's: the
    // same limiter, decision tally and headers. One limit keyed by the principal: a refusal is left to the framework,
    // whose hook refuses it again with its 429 (a key over its limit stays over it, whatever one more count adds), and
    // so is a route with several limits (the lane could only hand it over after counting some within them) or a limit
    // keyed by the client's address (the framework's proxy trust).
    app.fastLane?.limits((names, principal) => {
      const name = names[0] as LimitName;
      if (names.length !== 1 || !(LIMIT_NAMES as readonly string[]).includes(name) || LIMITS[name].key !== 'customer') return undefined;
      const headersFor = (state: LimitState) => {
        if (!state.allowed) return undefined;
        allowed(name);
        return limitHeaders([{ name, policy: byRequest[name].policy, state }]);
      };
      const state = byRequest[name].consumeNow?.(principal.customerId);
      return state === undefined ? byRequest[name].consume(principal.customerId).then(headersFor) : headersFor(state);
    });

    // per route, only where a limit applies: an app-wide hook would cost every request a promise per phase
    app.addHook('onRoute', (route) => {
      const plan = planOf(route.config?.rateLimit, route.config?.auth);
      if (!plan) return;
      route.config = { ...(route.config ?? {}), rateLimitPlan: plan };
      if (plan.byRequest.length > 0) appendRouteHook(route, 'onRequest', countByRequest);
      if (plan.account) {
        appendRouteHook(route, 'preValidation', countByAccount);
        appendRouteHook(route, 'onResponse', settleAttempt);
      }
    });
  },
  { name: 'floodgate-rate-limiting', fastify: '5.x' },
);
