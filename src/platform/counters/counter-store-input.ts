import type { ScopeState, TakeInput } from './counter-store.js';

/**
 * Input checks both adapters share, so a caller's bug fails the same way in-process and on Redis (a thrown
 * RangeError, never a silently wrong counter). The sale validates customer input before it gets here: these
 * guard the port's own assumptions (whole units, sane clocks, scope ids that cannot break a Redis hash tag).
 */

// a hash tag ends at the first '}', and key prefixes are joined with ':'; uuids and slugs fit
const SCOPE = /^[A-Za-z0-9_.:-]{1,128}$/;

export function assertScope(scope: string): void {
  if (!SCOPE.test(scope)) throw new RangeError(`counter scope must match ${SCOPE}: ${JSON.stringify(scope)}`);
}

const wholeAtLeast = (value: number, min: number, name: string) => {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be a whole number ≥ ${min}, got ${value}`);
};

const text = (value: string, name: string) => {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512) throw new RangeError(`${name} must be a non-empty string of at most 512 characters`);
};

export function assertMember(member: string): void {
  text(member, 'member');
}

export function assertTakeInput(input: TakeInput): void {
  text(input.member, 'member');
  text(input.key, 'key');
  text(input.holdId, 'holdId');
  wholeAtLeast(input.quantity, 1, 'quantity');
  wholeAtLeast(input.limit, 0, 'limit');
  wholeAtLeast(input.expiresAtMs, 0, 'expiresAtMs');
  if (input.admission !== undefined) {
    wholeAtLeast(input.admission.nowMs, 0, 'admission.nowMs');
    wholeAtLeast(input.admission.ttlMs, 0, 'admission.ttlMs');
  }
}

export function assertAdmitInput(input: { ratePerSecond: number; maxUnresolved: number; nowMs: number; admissionTtlMs: number }): void {
  if (!Number.isFinite(input.ratePerSecond) || input.ratePerSecond < 0) throw new RangeError(`ratePerSecond must be ≥ 0, got ${input.ratePerSecond}`);
  wholeAtLeast(input.maxUnresolved, 0, 'maxUnresolved');
  wholeAtLeast(input.nowMs, 0, 'nowMs');
  wholeAtLeast(input.admissionTtlMs, 0, 'admissionTtlMs');
}

export function assertExpiredInput(nowMs: number, max: number): void {
  wholeAtLeast(nowMs, 0, 'nowMs');
  wholeAtLeast(max, 0, 'max');
}

/**
 * A state is loadable when its units add up: hold ids unique across live and sold holds, and no member's sold
 * holds exceed what `soldByMember` says it bought (unsell takes a hold's units off both).
 */
export function assertScopeState(state: ScopeState): void {
  wholeAtLeast(state.available, 0, 'available');
  const ids = new Set<string>();
  const unique = (holdId: string) => {
    text(holdId, 'holdId');
    if (ids.has(holdId)) throw new RangeError(`hold ${holdId} appears twice in the state`);
    ids.add(holdId);
  };
  for (const hold of state.holds) {
    unique(hold.holdId);
    text(hold.member, 'member');
    wholeAtLeast(hold.quantity, 1, 'hold quantity');
    wholeAtLeast(hold.expiresAtMs, 0, 'hold expiresAtMs');
    if (hold.key !== undefined) text(hold.key, 'hold key');
  }
  for (const [member, units] of Object.entries(state.soldByMember)) {
    text(member, 'member');
    wholeAtLeast(units, 0, `soldByMember[${member}]`);
  }
  const soldHolds = new Map<string, number>();
  for (const hold of state.sold) {
    unique(hold.holdId);
    text(hold.member, 'member');
    wholeAtLeast(hold.quantity, 1, 'sold quantity');
    if (hold.key !== undefined) text(hold.key, 'sold key');
    if (hold.expiresAtMs !== undefined) wholeAtLeast(hold.expiresAtMs, 0, 'sold expiresAtMs');
    soldHolds.set(hold.member, (soldHolds.get(hold.member) ?? 0) + hold.quantity);
  }
  for (const [member, units] of soldHolds) {
    if (units > (state.soldByMember[member] ?? 0)) throw new RangeError(`sold holds of ${member} add up to ${units}, more than soldByMember says`);
  }
}
