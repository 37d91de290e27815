import { LRUCache } from 'lru-cache';
import type { LimitState, RateLimiter } from './rate-limiter.js';

export interface LeaseOptions {
  /** the share of a key's window one lease takes (default 0.1: a tenth of the points) */
  fraction?: number;
  /** keys holding a lease, at most (the least recently used are forgotten: their leased points go unused) */
  maxKeys?: number;
  /** milliseconds, monotonic within the process; injected by tests */
  now?: () => number;
}

interface Lease {
  /** leased points not spent yet */
  left: number;
  /** the shared store's count for the key after the last lease */
  consumed: number;
  /** when the store's window (or block) ends: what is left of the lease is dropped then */
  until: number;
  /** the store said no: refused here until `until`, without asking again */
  refused: boolean;
  /** a lease being taken: callers wait for it rather than each taking their own */
  taking?: Promise<void>;
}

/**
 * A request limit counted in a shared store (Redis) a lease at a time: a process takes `fraction` of a key's
 * points in one store call and spends them in memory, so a customer's stream of requests costs one round trip
 * per lease instead of one per request (on an add-to-cart, the limit's round trip was a tenth of the requests
 * per second). Never more than the limit: the store counts every leased point as used. Possibly fewer, when a
 * key's requests spread over several processes: at most the points leased by the other processes and not yet
 * spent (a tenth of the window each), and only in a window where the key reaches its limit. A refused key is
 * refused in memory until its window ends, which spares the store the flood that got it refused.
 * Within one process the count is exact, concurrent requests included; a lease of one point (limits under
 * twenty points at the default fraction) is the store itself. For request limits only: penalties, rewards,
 * blocks and resets go to the store, and a block or reset also drops the key's lease here.
 */
export function leasedLimiter(inner: RateLimiter, { fraction = 0.1, maxKeys = 100_000, now = () => performance.now() }: LeaseOptions = {}): RateLimiter {
  const { points: limit } = inner.policy;
  const size = Math.max(1, Math.floor(limit * fraction));
  if (size === 1) return inner;
  const leases = new LRUCache<string, Lease>({ max: maxKeys });

  const stateOf = (lease: Lease, allowed: boolean): LimitState => ({
    allowed,
    remaining: allowed ? Math.max(0, limit - lease.consumed + lease.left) : 0,
    consumed: lease.consumed - lease.left,
    resetMs: Math.max(0, lease.until - now()),
  });

  const take = (key: string, lease: Lease, wanted: number) =>
    inner.consume(key, wanted).then((state) => {
      // the store added `wanted` to the key's count: the points that were still within the limit are ours
      const granted = Math.max(0, Math.min(wanted, limit - (state.consumed - wanted)));
      lease.left += granted;
      lease.consumed = state.consumed;
      lease.until = now() + state.resetMs;
      lease.refused = granted === 0;
    });

  /** the answer the lease held here gives without the store, else undefined (nothing spent) */
  const fromLease = (lease: Lease | undefined, points: number): LimitState | undefined => {
    // a lease whose window ended is dropped by `consume`, which takes a new one (one being taken is not ended)
    if (!lease || (!lease.taking && now() >= lease.until)) return undefined;
    if (lease.left >= points) {
      lease.left -= points;
      return stateOf(lease, true);
    }
    return lease.refused ? stateOf(lease, false) : undefined;
  };

  const consumeNow = (key: string, points = 1) => fromLease(leases.get(key), points);

  const consume = async (key: string, points = 1): Promise<LimitState> => {
    for (;;) {
      let lease = leases.get(key);
      const known = fromLease(lease, points);
      if (known) return known;
      if (lease && !lease.taking && now() >= lease.until) {
        leases.delete(key);
        lease = undefined;
      }
      if (lease?.taking) {
        await lease.taking;
        continue;
      }
      const current: Lease = lease ?? { left: 0, consumed: 0, until: 0, refused: false };
      if (!lease) leases.set(key, current);
      current.taking = take(key, current, Math.max(size, points - current.left)).finally(() => {
        current.taking = undefined;
      });
      await current.taking;
      if (current.left >= points) {
        current.left -= points;
        return stateOf(current, true);
      }
      current.refused = true;
      return stateOf(current, false);
    }
  };

  return {
    name: inner.name,
    policy: inner.policy,
    consume,
    consumeNow,
    penalty: (key, points) => inner.penalty(key, points),
    reward: (key, points) => inner.reward(key, points),
    peek: (key) => inner.peek(key),
    async block(key, seconds) {
      leases.delete(key);
      await inner.block(key, seconds);
    },
    async reset(key) {
      leases.delete(key);
      await inner.reset(key);
    },
  };
}
