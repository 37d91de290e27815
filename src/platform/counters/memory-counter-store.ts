import type { AdmitResult, CounterStore, EnqueueResult, ScopeSnapshot, ScopeState, TakeInput, TakeResult } from './counter-store.js';
import { assertAdmitInput, assertExpiredInput, assertMember, assertScope, assertScopeState, assertTakeInput } from './counter-store-input.js';

/**
 * The in-process counter store (all-in-one mode). Every operation runs start to finish without an `await`,
 * so on one event loop it is one critical section: the same atomicity the Redis adapter gets from one Lua
 * script per operation. The two follow the same rules step for step (see lua/*.lua); the contract suite holds
 * them to it.
 */

interface Hold { member: string; quantity: number; expiresAtMs: number }
interface IdempotencyRecord { member: string; quantity: number; holdId: string; expiresAtMs: number }
/** positions from..to were admitted at atMs; `resolved` of them have taken since */
interface AdmitBatch { from: number; to: number; atMs: number; resolved: number }

interface QueueState {
  positions: Map<string, number>;
  length: number;
  frontier: number;
  lastAdmitMs: number | undefined;
  /** admission credit below one position, in position·milliseconds, carried to the next tick */
  carry: number;
  unresolved: number;
  batches: AdmitBatch[];
  /** members whose admission was resolved by a take (at most once each) */
  resolved: Set<string>;
}

interface Scope {
  available: number;
  held: number;
  sold: number;
  holds: Map<string, Hold>;
  soldHolds: Map<string, { member: string; quantity: number }>;
  /** units held plus sold, per member */
  members: Map<string, number>;
  keys: Map<string, IdempotencyRecord>;
  queue: QueueState;
}

const emptyQueue = (): QueueState => ({
  positions: new Map(),
  length: 0,
  frontier: 0,
  lastAdmitMs: undefined,
  carry: 0,
  unresolved: 0,
  batches: [],
  resolved: new Set(),
});

/** the longest stretch of time one admit may pay out: an idle or paused sale does not release a burst */
export const MAX_ADMIT_ELAPSED_MS = 1_000;

export function createMemoryCounterStore(): CounterStore {
  const scopes = new Map<string, Scope>();

  const addToMember = (scope: Scope, member: string, delta: number) => {
    const units = (scope.members.get(member) ?? 0) + delta;
    if (units > 0) scope.members.set(member, units);
    else scope.members.delete(member);
  };

  // a member's first take after admission resolves it: it no longer counts against maxUnresolved
  const resolveAdmission = (queue: QueueState, member: string) => {
    const position = queue.positions.get(member);
    if (position === undefined || position > queue.frontier || queue.resolved.has(member)) return;
    queue.resolved.add(member);
    const batch = queue.batches.find((b) => b.from <= position && position <= b.to);
    // no batch: its admission lapsed and was already counted as resolved
    if (batch) {
      batch.resolved += 1;
      queue.unresolved -= 1;
    }
  };

  // an admitted member that has not taken yet must take before its batch's deadline; no batch left means its
  // lapse was already counted by admit. Members the queue does not show as admitted are not judged.
  const admissionLapsed = (queue: QueueState, member: string, { nowMs, ttlMs }: { nowMs: number; ttlMs: number }) => {
    const position = queue.positions.get(member);
    if (position === undefined || position > queue.frontier || queue.resolved.has(member)) return false;
    const batch = queue.batches.find((b) => b.from <= position && position <= b.to);
    return !batch || batch.atMs + ttlMs <= nowMs;
  };

  return {
    async load(scopeId: string, state: ScopeState, options: { keepQueue?: boolean } = {}) {
      assertScope(scopeId);
      assertScopeState(state);
      const previous = scopes.get(scopeId);
      const scope: Scope = {
        available: state.available,
        held: 0,
        sold: 0,
        holds: new Map(),
        soldHolds: new Map(),
        members: new Map(),
        keys: new Map(),
        queue: options.keepQueue && previous ? previous.queue : emptyQueue(),
      };
      for (const hold of state.holds) {
        scope.holds.set(hold.holdId, { member: hold.member, quantity: hold.quantity, expiresAtMs: hold.expiresAtMs });
        scope.held += hold.quantity;
        addToMember(scope, hold.member, hold.quantity);
      }
      for (const [member, units] of Object.entries(state.soldByMember)) {
        scope.sold += units;
        addToMember(scope, member, units);
      }
      for (const hold of state.sold) scope.soldHolds.set(hold.holdId, { member: hold.member, quantity: hold.quantity });
      // a retried take whose hold the truth still has must keep replaying, not take a second hold
      for (const [key, record] of previous?.keys ?? []) {
        if (scope.holds.has(record.holdId) || scope.soldHolds.has(record.holdId)) scope.keys.set(key, record);
      }
      // the truth's own keys win over what the counters remembered
      for (const hold of [...state.holds, ...state.sold]) {
        if (hold.key !== undefined && hold.expiresAtMs !== undefined) {
          scope.keys.set(hold.key, { member: hold.member, quantity: hold.quantity, holdId: hold.holdId, expiresAtMs: hold.expiresAtMs });
        }
      }
      scopes.set(scopeId, scope);
    },

    async drop(scopeId: string) {
      assertScope(scopeId);
      scopes.delete(scopeId);
    },

    async snapshot(scopeId: string): Promise<ScopeSnapshot | null> {
      assertScope(scopeId);
      const scope = scopes.get(scopeId);
      if (!scope) return null;
      const { queue } = scope;
      return { available: scope.available, held: scope.held, sold: scope.sold, queueLength: queue.length, frontier: queue.frontier, unresolved: queue.unresolved };
    },

    async enqueue(scopeId: string, member: string): Promise<EnqueueResult> {
      assertScope(scopeId);
      assertMember(member);
      const scope = scopes.get(scopeId);
      if (!scope) return { ok: false, code: 'NOT_LOADED' };
      const known = scope.queue.positions.get(member);
      if (known !== undefined) return { ok: true, position: known, joined: false };
      const position = ++scope.queue.length;
      scope.queue.positions.set(member, position);
      return { ok: true, position, joined: true };
    },

    async admit(scopeId: string, input): Promise<AdmitResult> {
      assertScope(scopeId);
      assertAdmitInput(input);
      const scope = scopes.get(scopeId);
      if (!scope) return { ok: false, code: 'NOT_LOADED' };
      const { queue } = scope;
      const { nowMs } = input;
      // batches are in admission order, so the lapsed ones are a prefix
      while (queue.batches.length > 0 && queue.batches[0]!.atMs + input.admissionTtlMs <= nowMs) {
        const lapsed = queue.batches.shift()!;
        queue.unresolved -= lapsed.to - lapsed.from + 1 - lapsed.resolved;
      }
      const elapsed = queue.lastAdmitMs === undefined ? MAX_ADMIT_ELAPSED_MS : Math.min(MAX_ADMIT_ELAPSED_MS, Math.max(0, nowMs - queue.lastAdmitMs));
      const credit = elapsed * input.ratePerSecond + queue.carry;
      const due = Math.floor(credit / 1000);
      const admitted = Math.max(0, Math.min(due, queue.length - queue.frontier, input.maxUnresolved - queue.unresolved));
      // a capped tick forfeits its remainder too: credit never piles up behind a full room
      queue.carry = admitted === due ? credit - due * 1000 : 0;
      if (admitted > 0) {
        queue.batches.push({ from: queue.frontier + 1, to: queue.frontier + admitted, atMs: nowMs, resolved: 0 });
        queue.frontier += admitted;
        queue.unresolved += admitted;
      }
      if (queue.lastAdmitMs === undefined || nowMs > queue.lastAdmitMs) queue.lastAdmitMs = nowMs;
      return { ok: true, frontier: queue.frontier };
    },

    async take(scopeId: string, input: TakeInput): Promise<TakeResult> {
      assertScope(scopeId);
      assertTakeInput(input);
      const scope = scopes.get(scopeId);
      if (!scope) return { ok: false, code: 'NOT_LOADED' };
      const first = scope.keys.get(input.key);
      if (first) {
        if (first.member !== input.member || first.quantity !== input.quantity) return { ok: false, code: 'KEY_REUSED' };
        return { ok: true, holdId: first.holdId, expiresAtMs: first.expiresAtMs, replayed: true };
      }
      if (input.admission && admissionLapsed(scope.queue, input.member, input.admission)) return { ok: false, code: 'ADMISSION_EXPIRED' };
      if ((scope.members.get(input.member) ?? 0) + input.quantity > input.limit) return { ok: false, code: 'LIMIT_REACHED' };
      if (scope.available < input.quantity) return { ok: false, code: 'SOLD_OUT' };
      if (scope.holds.has(input.holdId) || scope.soldHolds.has(input.holdId)) throw new RangeError(`hold id ${input.holdId} is already in use`);
      scope.available -= input.quantity;
      scope.held += input.quantity;
      addToMember(scope, input.member, input.quantity);
      scope.holds.set(input.holdId, { member: input.member, quantity: input.quantity, expiresAtMs: input.expiresAtMs });
      scope.keys.set(input.key, { member: input.member, quantity: input.quantity, holdId: input.holdId, expiresAtMs: input.expiresAtMs });
      resolveAdmission(scope.queue, input.member);
      return { ok: true, holdId: input.holdId, expiresAtMs: input.expiresAtMs, replayed: false };
    },

    async release(scopeId: string, holdId: string) {
      assertScope(scopeId);
      const scope = scopes.get(scopeId);
      const hold = scope?.holds.get(holdId);
      if (!scope || !hold) return false;
      scope.holds.delete(holdId);
      scope.held -= hold.quantity;
      scope.available += hold.quantity;
      addToMember(scope, hold.member, -hold.quantity);
      return true;
    },

    async settle(scopeId: string, holdId: string) {
      assertScope(scopeId);
      const scope = scopes.get(scopeId);
      const hold = scope?.holds.get(holdId);
      if (!scope || !hold) return false;
      scope.holds.delete(holdId);
      scope.held -= hold.quantity;
      scope.sold += hold.quantity;
      scope.soldHolds.set(holdId, { member: hold.member, quantity: hold.quantity });
      return true;
    },

    async unsell(scopeId: string, holdId: string) {
      assertScope(scopeId);
      const scope = scopes.get(scopeId);
      const hold = scope?.soldHolds.get(holdId);
      if (!scope || !hold) return false;
      scope.soldHolds.delete(holdId);
      scope.sold -= hold.quantity;
      scope.available += hold.quantity;
      addToMember(scope, hold.member, -hold.quantity);
      return true;
    },

    async expired(scopeId: string, nowMs: number, max: number) {
      assertScope(scopeId);
      assertExpiredInput(nowMs, max);
      const scope = scopes.get(scopeId);
      if (!scope || max === 0) return [];
      // same order as the Redis sorted set: by lease end, then by id (code-unit order, like Redis for ASCII ids)
      return [...scope.holds]
        .filter(([, hold]) => hold.expiresAtMs <= nowMs)
        .sort(([a, x], [b, y]) => x.expiresAtMs - y.expiresAtMs || (a < b ? -1 : a > b ? 1 : 0))
        .slice(0, max)
        .map(([holdId]) => holdId);
    },

    async close() {
      scopes.clear();
    },
  };
}
