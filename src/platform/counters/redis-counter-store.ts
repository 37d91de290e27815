import type { Cluster, Redis } from 'ioredis';
import type { AdmitResult, CounterStore, EnqueueResult, ScopeSnapshot, ScopeState, TakeInput, TakeRefusal, TakeResult } from './counter-store.js';
import { assertAdmitInput, assertExpiredInput, assertMember, assertScope, assertScopeState, assertTakeInput } from './counter-store-input.js';
import { SCOPE_KEY_SUFFIXES, defineCounterScripts } from './redis-counter-scripts.js';

export interface RedisCounterStoreOptions {
  /**
   * a connection from createRedisConnection (or an ioredis Cluster: every script's keys share one slot); the
   * caller owns it and closes it (close() leaves it open)
   */
  redis: Redis | Cluster;
  /** before every key, e.g. 'floodgate:' or a test's random prefix; no braces (they would move the hash slot) */
  keyPrefix?: string;
}

/**
 * The counter store on Redis: every operation is one Lua script (lua/*.lua) over one scope's keys, all in
 * the hash slot of `{sale:<scope>}`, so each operation is atomic on a single server and on Redis Cluster.
 * Needs `maxmemory-policy noeviction` (or no maxmemory): an evicted key would silently corrupt a scope.
 */
export function createRedisCounterStore({ redis, keyPrefix = 'floodgate:' }: RedisCounterStoreOptions): CounterStore {
  if (/[{}]/.test(keyPrefix)) throw new RangeError('keyPrefix must not contain { or }: the hash tag must be {sale:<scope>}');
  const run = defineCounterScripts(redis);
  const keysOf = (scope: string) => {
    assertScope(scope);
    return SCOPE_KEY_SUFFIXES.map((suffix) => `${keyPrefix}{sale:${scope}}:${suffix}`);
  };
  const strings = (reply: unknown) => reply as string[];

  return {
    async load(scope: string, state: ScopeState, options: { keepQueue?: boolean } = {}) {
      const keys = keysOf(scope);
      assertScopeState(state);
      // numbers travel as strings: Lua's tostring would print large ones with an exponent
      const payload = {
        available: String(state.available),
        holds: state.holds.map((h) => ({ h: h.holdId, m: h.member, q: String(h.quantity), e: String(h.expiresAtMs), k: h.key })),
        soldByMember: Object.fromEntries(Object.entries(state.soldByMember).map(([member, units]) => [member, String(units)])),
        sold: state.sold.map((s) => ({ h: s.holdId, m: s.member, q: String(s.quantity), k: s.key, e: s.expiresAtMs === undefined ? undefined : String(s.expiresAtMs) })),
      };
      await run('load', keys, [JSON.stringify(payload), options.keepQueue ? '1' : '0']);
    },

    async drop(scope: string) {
      await run('drop', keysOf(scope), []);
    },

    async snapshot(scope: string): Promise<ScopeSnapshot | null> {
      const reply = await run('snapshot', keysOf(scope), []);
      if (reply === null) return null;
      const [available, held, sold, queueLength, frontier, unresolved] = strings(reply).map(Number) as number[];
      return { available: available!, held: held!, sold: sold!, queueLength: queueLength!, frontier: frontier!, unresolved: unresolved! };
    },

    async enqueue(scope: string, member: string): Promise<EnqueueResult> {
      const keys = keysOf(scope);
      assertMember(member);
      const [status, position, joined] = strings(await run('enqueue', keys, [member]));
      if (status !== 'OK') return { ok: false, code: 'NOT_LOADED' };
      return { ok: true, position: Number(position), joined: joined === '1' };
    },

    async admit(scope: string, input): Promise<AdmitResult> {
      const keys = keysOf(scope);
      assertAdmitInput(input);
      const [status, frontier] = strings(await run('admit', keys, [String(input.ratePerSecond), String(input.maxUnresolved), String(input.nowMs), String(input.admissionTtlMs)]));
      if (status !== 'OK') return { ok: false, code: 'NOT_LOADED' };
      return { ok: true, frontier: Number(frontier) };
    },

    async take(scope: string, input: TakeInput): Promise<TakeResult> {
      const keys = keysOf(scope);
      assertTakeInput(input);
      const [status, holdId, expiresAtMs, replayed] = strings(
        await run('take', keys, [
          input.member, String(input.quantity), String(input.limit), input.key, input.holdId, String(input.expiresAtMs),
          ...(input.admission ? [String(input.admission.nowMs), String(input.admission.ttlMs)] : []),
        ]),
      );
      if (status === 'OK') return { ok: true, holdId: holdId!, expiresAtMs: Number(expiresAtMs), replayed: replayed === '1' };
      return { ok: false, code: status as TakeRefusal };
    },

    async release(scope: string, holdId: string) {
      return (await run('release', keysOf(scope), [holdId])) === 1;
    },

    async settle(scope: string, holdId: string) {
      return (await run('settle', keysOf(scope), [holdId])) === 1;
    },

    async unsell(scope: string, holdId: string) {
      return (await run('unsell', keysOf(scope), [holdId])) === 1;
    },

    async expired(scope: string, nowMs: number, max: number) {
      const keys = keysOf(scope);
      assertExpiredInput(nowMs, max);
      if (max === 0) return [];
      return strings(await run('expired', keys, [String(nowMs), String(max)]));
    },

    async close() {
      // the connection is shared (rate limits, caches): its owner closes it
    },
  };
}
