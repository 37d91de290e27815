/**
 * The counter store: the spike path's gate. One flash sale's counters live under one `scope`
 * (the sale id); an adapter keeps a scope's keys together (Redis: one hash slot, `{sale:<id>}`),
 * and every operation on a scope is atomic (Redis: one Lua script called by SHA; in-process: one
 * synchronous critical section). PostgreSQL stays the truth: `load` rebuilds a scope from it, and a
 * scope that is not loaded (never, or lost with a Redis restart or flush) answers `NOT_LOADED`
 * instead of guessing, so the caller answers 503 until the reconciler has reloaded it.
 *
 * No business rule lives here: the sale decides limits, rates and leases and passes them in.
 */
export interface CounterStore {
  /**
   * Replaces a scope with `state` (the reconciler's rebuild from PostgreSQL) and marks it loaded.
   * Queue positions and the frontier survive a reload when `keepQueue` is set and they still exist.
   * Idempotency keys survive for holds the state still has, and the state's own hold keys are restored.
   */
  load(scope: string, state: ScopeState, options?: { keepQueue?: boolean }): Promise<void>;
  /** forgets everything of a scope (the sale ended and was settled) */
  drop(scope: string): Promise<void>;
  /** the scope's counters, or null when it is not loaded */
  snapshot(scope: string): Promise<ScopeSnapshot | null>;

  /** joins the queue: a member joining again gets its first position back (`joined: false`) */
  enqueue(scope: string, member: string): Promise<EnqueueResult>;
  /**
   * Moves the admission frontier forward at `ratePerSecond` for the time since the scope's last admit
   * (stored in the scope, so any number of processes may tick: the second tick of one instant admits
   * nothing; elapsed time is capped at one second so a paused or idle sale does not release a burst),
   * but never so far that admitted members who have not resolved (taken, or let their admission lapse)
   * exceed `maxUnresolved`, and never past the last position handed out. Admissions older than
   * `admissionTtlMs` (by `nowMs`) whose member took nothing count as resolved. Answers the new frontier.
   */
  admit(scope: string, input: { ratePerSecond: number; maxUnresolved: number; nowMs: number; admissionTtlMs: number }): Promise<AdmitResult>;

  /**
   * Takes `quantity` units for `member` under idempotency `key`: checks the member's limit, takes
   * stock, records the hold with its lease (`expiresAtMs`) — all or nothing. The same key with the
   * same request answers the first answer again (`replayed: true`); with another request (different
   * member or quantity) `KEY_REUSED`. A sold-out or over-limit answer changes nothing.
   *
   * With `admission`, the take also spends the member's admission: an admitted member that has not taken yet
   * must take before its admission's deadline (admitted at + `ttlMs`, by `nowMs`). Its admission is released
   * exactly once, by whichever comes first in the scope: this take (it resolves it) or the lapse (`admit`
   * counting it resolved, or the deadline passing); a take after the lapse answers `ADMISSION_EXPIRED` and
   * changes nothing. A member the queue does not know as admitted (a queue rebuilt after a loss) is not judged.
   */
  take(scope: string, input: TakeInput): Promise<TakeResult>;
  /** a live hold's units go back to available and off the member's count; false when it was not held */
  release(scope: string, holdId: string): Promise<boolean>;
  /** a live hold becomes sold: it leaves `held`, joins `sold`, stays on the member's count; false when not held */
  settle(scope: string, holdId: string): Promise<boolean>;
  /** a sold hold whose order failed or was cancelled: its units are available again and off the member's count */
  unsell(scope: string, holdId: string): Promise<boolean>;
  /** ids of live holds whose lease ended at or before `nowMs` (oldest first, at most `max`); they stay held until released */
  expired(scope: string, nowMs: number, max: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * What PostgreSQL says a scope holds: the reconciler's input. A hold's `key` (its reservation's idempotency key,
 * with `expiresAtMs` for sold ones) lets a take retried after the counters were lost replay that hold instead of
 * taking a second one; without it the retry takes afresh.
 */
export interface ScopeState {
  /** units neither held nor sold */
  available: number;
  /** live holds (reservations not yet ordered, expired or released) */
  holds: Array<{ holdId: string; member: string; quantity: number; expiresAtMs: number; key?: string }>;
  /** units sold (ordered, paid or pending payment) per member, for the per-member limit */
  soldByMember: Record<string, number>;
  /** sold holds by id, so `unsell` of one of them still works after a reload */
  sold: Array<{ holdId: string; member: string; quantity: number; key?: string; expiresAtMs?: number }>;
}

export interface ScopeSnapshot {
  available: number;
  /** units in live holds */
  held: number;
  sold: number;
  /** positions handed out so far (the last position) */
  queueLength: number;
  /** every position ≤ frontier is admitted */
  frontier: number;
  /** admitted members that have neither taken nor let their admission lapse */
  unresolved: number;
}

export type EnqueueResult = { ok: true; position: number; joined: boolean } | { ok: false; code: 'NOT_LOADED' };
export type AdmitResult = { ok: true; frontier: number } | { ok: false; code: 'NOT_LOADED' };

export interface TakeInput {
  member: string;
  quantity: number;
  /** the member's most units held plus sold */
  limit: number;
  /** idempotency key, unique per member */
  key: string;
  /** id for the new hold (the caller's reservation id, so PostgreSQL and the counters share it) */
  holdId: string;
  expiresAtMs: number;
  /** spend the member's admission, refusing one that lapsed (see take) */
  admission?: { nowMs: number; ttlMs: number };
}

export type TakeResult =
  | { ok: true; holdId: string; expiresAtMs: number; replayed: boolean }
  | { ok: false; code: TakeRefusal };

export type TakeRefusal = 'SOLD_OUT' | 'LIMIT_REACHED' | 'KEY_REUSED' | 'ADMISSION_EXPIRED' | 'NOT_LOADED';
