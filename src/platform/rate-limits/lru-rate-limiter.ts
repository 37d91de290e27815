import { createRequire } from 'node:module';
import { LRUCache } from 'lru-cache';
import { RateLimiterRes, type RateLimiterStoreAbstract as StoreAbstract } from 'rate-limiter-flexible';

// The library's base class for limiters over a store (its README's way to add one: implement _upsert, _get,
// _delete and _getRateLimiterRes); it is typed but not exported from the package's index, so it is loaded by path.
const RateLimiterStoreAbstract = createRequire(import.meta.url)('rate-limiter-flexible/lib/RateLimiterStoreAbstract.js') as typeof StoreAbstract;

/**
 * What one remembered key costs besides its characters: lru-cache's map entry and its slots in the key, value,
 * link, TTL, start and size arrays (measured in lru-rate-limiter.test.ts, with the arrays' growth slack).
 */
export const KEY_OVERHEAD_BYTES = 160;

/** the bytes a key is charged: its characters (V8 keeps an ASCII key, as limits use, in one byte each; others in two) and the overhead */
export const keyBytes = (key: string) => KEY_OVERHEAD_BYTES + (Buffer.byteLength(key, 'utf8') === key.length ? key.length : key.length * 2);

interface StoreResult {
  consumedPoints: number;
  /** -1: the key never expires */
  msBeforeNext: number;
}

export interface LruRateLimiterOptions {
  points: number;
  /** the window in seconds */
  duration: number;
  /** the most the remembered keys may cost; past it the least recently used key is forgotten */
  maxBytes: number;
}

/**
 * rate-limiter-flexible's limiter logic (consume, penalty, reward, block, get, delete) over an LRU of keys bounded
 * in bytes, instead of RateLimiterMemory's unbounded Map with one setTimeout per key. Those timers held each key
 * for its whole window (an hour for the guest and cart-create limits) and, being created inside a request, kept
 * that request's AsyncLocalStorage values (request id, deadline) alive with them: ~1 KB per key. Here a key is
 * its string, a number and lru-cache's slots; an expired key is dropped when it is next read or when the budget
 * needs room (lru-cache's TTL without autopurge: no timer at all).
 *
 * Past the budget the least recently used key is forgotten, so its window restarts: a limit fails open only for
 * the coldest keys (a client seen once long ago), never for one that is using its points now.
 */
export class RateLimiterLru extends RateLimiterStoreAbstract {
  readonly #keys: LRUCache<string, number>;

  constructor({ points, duration, maxBytes }: LruRateLimiterOptions) {
    // one limiter per cache: no key prefix, so a key costs only its own characters
    super({ points, duration, keyPrefix: '', storeClient: null });
    // ttlResolution 0: read the clock on each check rather than cache it behind a short timer per request
    this.#keys = new LRUCache<string, number>({ maxSize: maxBytes, sizeCalculation: (_points, key) => keyBytes(key), ttlResolution: 0 });
  }

  /** how many keys are remembered and what they are charged, in bytes (never above maxBytes) */
  usage(): { keys: number; bytes: number; maxBytes: number } {
    return { keys: this.#keys.size, bytes: this.#keys.calculatedSize, maxBytes: this.#keys.maxSize };
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, result: StoreResult): RateLimiterRes {
    return new RateLimiterRes(Math.max(this.points - result.consumedPoints, 0), result.msBeforeNext, result.consumedPoints, result.consumedPoints === changedPoints);
  }

  _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<StoreResult> {
    // get drops a key whose window has passed, so an expired key starts a new window here
    const consumed = forceExpire ? undefined : this.#keys.get(rlKey);
    if (consumed === undefined) {
      this.#keys.set(rlKey, points, { ttl: msDuration > 0 ? msDuration : 0 });
      return Promise.resolve({ consumedPoints: points, msBeforeNext: msDuration > 0 ? msDuration : -1 });
    }
    this.#keys.set(rlKey, consumed + points, { noUpdateTTL: true });
    return Promise.resolve({ consumedPoints: consumed + points, msBeforeNext: this.#msLeft(rlKey) });
  }

  _get(rlKey: string): Promise<StoreResult | null> {
    const consumed = this.#keys.get(rlKey);
    return Promise.resolve(consumed === undefined ? null : { consumedPoints: consumed, msBeforeNext: this.#msLeft(rlKey) });
  }

  _delete(rlKey: string): Promise<boolean> {
    return Promise.resolve(this.#keys.delete(rlKey));
  }

  #msLeft(rlKey: string): number {
    const left = this.#keys.getRemainingTTL(rlKey);
    return left === Infinity ? -1 : Math.max(0, Math.ceil(left));
  }
}
