import { runWithSlot, slotValue } from '../async-context.js';

/**
 * A deadline for one unit of work (an HTTP request), carried by AsyncLocalStorage (async-context.ts) so that the code deep
 * under a route (the database pool, later the overload guard) can cap its own waits to what is left of the
 * request's time without every call passing it along. Outside any unit (background workers, startup)
 * there is no deadline: each call keeps its own per-call deadline.
 */
export interface Deadline {
  /** the moment it passes, on the deadline's own clock */
  readonly at: number;
  /** ms left, never below 0 */
  remainingMs(): number;
  expired(): boolean;
  /**
   * Record that `dependency` is out for the rest of this unit (its breaker is open, a call waited out the
   * deadline): later calls to it fail at once instead of waiting again on something known to be gone.
   */
  markUnavailable(dependency: string, cause: unknown): void;
  /** why `dependency` was marked out in this unit, or undefined */
  unavailable(dependency: string): { cause: unknown } | undefined;
}

/** The unit's deadline passed before (or while) the work was attempted. */
export class DeadlineExceededError extends Error {
  readonly code = 'FLOODGATE_DEADLINE_EXCEEDED';
  constructor(message = 'The request ran out of time', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeadlineExceededError';
  }
}

export interface DeadlineOptions {
  /** the clock, in ms; injectable so tests move time without sleeping */
  now?: () => number;
}

const DEADLINE = Symbol('floodgate.deadline');

function createDeadline(at: number, now: () => number, outer: Deadline | undefined): Deadline {
  const marks = new Map<string, { cause: unknown }>();
  return {
    at,
    remainingMs: () => Math.max(0, at - now()),
    expired: () => now() >= at,
    markUnavailable(dependency, cause) {
      if (!marks.has(dependency)) marks.set(dependency, { cause });
      // an inner unit's finding holds for the unit around it too: both are the same request
      outer?.markUnavailable(dependency, cause);
    },
    unavailable: (dependency) => marks.get(dependency) ?? outer?.unavailable(dependency),
  };
}

/**
 * Runs `fn` with a deadline `ms` from now. Nested inside another deadline, the tighter one wins: a unit
 * never gets more time than the one it is part of.
 */
export function runWithDeadline<T>(ms: number, fn: () => T, { now = Date.now }: DeadlineOptions = {}): T {
  const outer = slotValue<Deadline>(DEADLINE);
  const at = Math.min(now() + Math.max(0, ms), outer ? now() + outer.remainingMs() : Infinity);
  return runWithSlot(DEADLINE, createDeadline(at, now, outer), fn);
}

/** Runs `fn` outside any deadline: work that outlives the request which started it (a batch shared by many). */
export function runWithoutDeadline<T>(fn: () => T): T {
  return runWithSlot(DEADLINE, undefined, fn);
}

/** The deadline of the unit this code runs in, if any. */
export function currentDeadline(): Deadline | undefined {
  return slotValue<Deadline>(DEADLINE);
}

/** ms left in the current unit; Infinity outside one. */
export function remainingMs(): number {
  return slotValue<Deadline>(DEADLINE)?.remainingMs() ?? Infinity;
}

/** `ms`, cut to what is left of the current unit's time. */
export function capToDeadline(ms: number): number {
  return Math.min(ms, remainingMs());
}
