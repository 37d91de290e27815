import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CounterStore, ScopeState } from './counter-store.js';
import { type MakeCounterStore, freshScope, useCounterStore } from './counter-store-fixture.contract-test.js';

const LIMIT = 3;
const MEMBERS = 6;
const T0 = 1_800_000_000_000;

type Op =
  | { kind: 'take'; member: number; quantity: number; key: number; leaseMs: number; withAdmission: boolean }
  | { kind: 'release' | 'settle' | 'unsell'; hold: number }
  | { kind: 'expire'; afterMs: number }
  | { kind: 'rush'; members: number[] }
  | { kind: 'reload'; keepQueue: boolean }
  | { kind: 'enqueue'; member: number }
  | { kind: 'admit'; afterMs: number; maxUnresolved: number };

const member = fc.integer({ min: 0, max: MEMBERS - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('take' as const), member, quantity: fc.integer({ min: 1, max: 2 }), key: fc.integer({ min: 0, max: 9 }), leaseMs: fc.integer({ min: 0, max: 5_000 }), withAdmission: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('release' as const, 'settle' as const, 'unsell' as const), hold: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), afterMs: fc.integer({ min: 0, max: 3_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rush' as const), members: fc.array(member, { minLength: 2, maxLength: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reload' as const), keepQueue: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('enqueue' as const), member }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('admit' as const), afterMs: fc.integer({ min: 0, max: 1_500 }), maxUnresolved: fc.nat(4) }) },
);

const ADMISSION_TTL_MS = 2_000;

interface ModelHold { holdId: string; member: string; quantity: number; expiresAtMs: number; state: 'held' | 'sold' | 'gone' }

/** what the store must hold after the same operations, one at a time */
class Model {
  holds: ModelHold[] = [];
  keys = new Map<string, { member: string; quantity: number; hold: ModelHold }>();
  /** the queue as the store should have it: positions, admitted batches (from, to, at) and resolved members */
  positions = new Map<string, number>();
  queueLength = 0;
  frontier = 0;
  batches: Array<{ from: number; to: number; atMs: number }> = [];
  resolved = new Set<string>();
  constructor(public readonly total: number, public available: number) {}

  resetQueue() {
    this.positions.clear();
    this.queueLength = 0;
    this.frontier = 0;
    this.batches = [];
    this.resolved.clear();
  }
  /** admitted and not yet resolved by a take: the admission this member could still spend */
  pendingAdmission(member: string) {
    const position = this.positions.get(member);
    if (position === undefined || position > this.frontier || this.resolved.has(member)) return undefined;
    return this.batches.find((b) => b.from <= position && position <= b.to);
  }

  units(member: string) {
    return this.holds.filter((h) => h.member === member && h.state !== 'gone').reduce((sum, h) => sum + h.quantity, 0);
  }
  sum(state: ModelHold['state']) {
    return this.holds.filter((h) => h.state === state).reduce((sum, h) => sum + h.quantity, 0);
  }
  predictTake(key: string, who: string, quantity: number, nowMs?: number): true | 'KEY_REUSED' | 'LIMIT_REACHED' | 'SOLD_OUT' | 'ADMISSION_EXPIRED' | 'REPLAY' {
    const first = this.keys.get(key);
    if (first) return first.member === who && first.quantity === quantity ? 'REPLAY' : 'KEY_REUSED';
    const position = this.positions.get(who);
    const admitted = position !== undefined && position <= this.frontier && !this.resolved.has(who);
    const batch = this.pendingAdmission(who);
    // released once: by the lapse admit already counted (no batch left) or by the deadline passing
    if (nowMs !== undefined && admitted && (!batch || batch.atMs + ADMISSION_TTL_MS <= nowMs)) return 'ADMISSION_EXPIRED';
    if (this.units(who) + quantity > LIMIT) return 'LIMIT_REACHED';
    if (this.available < quantity) return 'SOLD_OUT';
    return true;
  }
  grant(key: string, hold: Omit<ModelHold, 'state'>) {
    const position = this.positions.get(hold.member);
    if (position !== undefined && position <= this.frontier) this.resolved.add(hold.member);
    const entry: ModelHold = { ...hold, state: 'held' };
    this.holds.push(entry);
    this.keys.set(key, { member: hold.member, quantity: hold.quantity, hold: entry });
    this.available -= hold.quantity;
  }
  /** the reconciler's view: PostgreSQL knows live and sold holds; keys of holds it does not know are forgotten */
  state(): ScopeState {
    const soldByMember: Record<string, number> = {};
    for (const h of this.holds.filter((x) => x.state === 'sold')) soldByMember[h.member] = (soldByMember[h.member] ?? 0) + h.quantity;
    for (const [key, record] of this.keys) if (record.hold.state === 'gone') this.keys.delete(key);
    return {
      available: this.available,
      holds: this.holds.filter((h) => h.state === 'held').map(({ holdId, member: m, quantity, expiresAtMs }) => ({ holdId, member: m, quantity, expiresAtMs })),
      soldByMember,
      sold: this.holds.filter((h) => h.state === 'sold').map(({ holdId, member: m, quantity }) => ({ holdId, member: m, quantity })),
    };
  }
}

async function expectInvariants(store: CounterStore, scope: string, model: Model) {
  const snap = await store.snapshot(scope);
  expect(snap).not.toBeNull();
  const { available, held, sold } = snap!;
  expect({ available, held, sold }).toEqual({ available: model.available, held: model.sum('held'), sold: model.sum('sold') });
  expect(available + held + sold).toBe(model.total);
  expect(available).toBeGreaterThanOrEqual(0);
  for (let m = 0; m < MEMBERS; m++) expect(model.units(`m${m}`)).toBeLessThanOrEqual(LIMIT);
  expect(snap!.frontier).toBeLessThanOrEqual(snap!.queueLength);
  expect(snap!.unresolved).toBeGreaterThanOrEqual(0);
  expect(snap!.unresolved).toBeLessThanOrEqual(snap!.frontier);
}

/** random operation sequences, replayed against a model: units are conserved and limits hold at every step */
export function propertyContract(make: MakeCounterStore) {
  describe('random operation sequences', () => {
    const store = useCounterStore(make);

    it('when seeded random operations run across members, then available + held + sold == total and every limit holds at every step', async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.array(op, { minLength: 1, maxLength: 40 }), async (total, ops) => {
          const scope = freshScope();
          const model = new Model(total, total);
          let now = T0;
          let seq = 0;
          await store().load(scope, model.state());
          for (const step of ops) {
            seq += 1;
            if (step.kind === 'take') {
              const admission = step.withAdmission ? { admission: { nowMs: now, ttlMs: ADMISSION_TTL_MS } } : {};
              const input = { member: `m${step.member}`, quantity: step.quantity, limit: LIMIT, key: `k${step.key}`, holdId: `${scope}-h${seq}`, expiresAtMs: now + step.leaseMs, ...admission };
              const expected = model.predictTake(input.key, input.member, input.quantity, step.withAdmission ? now : undefined);
              const result = await store().take(scope, input);
              if (expected === 'REPLAY') {
                const hold = model.keys.get(input.key)!.hold;
                expect(result).toEqual({ ok: true, holdId: hold.holdId, expiresAtMs: hold.expiresAtMs, replayed: true });
              } else if (expected === true) {
                expect(result).toEqual({ ok: true, holdId: input.holdId, expiresAtMs: input.expiresAtMs, replayed: false });
                model.grant(input.key, input);
              } else {
                expect(result).toEqual({ ok: false, code: expected });
              }
            } else if (step.kind === 'release' || step.kind === 'settle' || step.kind === 'unsell') {
              const hold = model.holds[step.hold % Math.max(1, model.holds.length)];
              const holdId = hold?.holdId ?? 'no-such-hold';
              const from = step.kind === 'unsell' ? 'sold' : 'held';
              expect(await store()[step.kind](scope, holdId)).toBe(hold?.state === from);
              if (hold && hold.state === from) {
                hold.state = step.kind === 'settle' ? 'sold' : 'gone';
                if (hold.state === 'gone') model.available += hold.quantity;
              }
            } else if (step.kind === 'expire') {
              now += step.afterMs;
              const due = model.holds.filter((h) => h.state === 'held' && h.expiresAtMs <= now).sort((a, b) => a.expiresAtMs - b.expiresAtMs || (a.holdId < b.holdId ? -1 : 1));
              const listed = await store().expired(scope, now, 100);
              expect(listed).toEqual(due.map((h) => h.holdId));
              for (const hold of due) {
                expect(await store().release(scope, hold.holdId)).toBe(true);
                hold.state = 'gone';
                model.available += hold.quantity;
              }
            } else if (step.kind === 'rush') {
              // parallel takes with fresh keys: who wins is up to the race, so the model learns it from the answers
              const inputs = step.members.map((m, i) => ({ member: `m${m}`, quantity: 1, limit: LIMIT, key: `rush-${seq}-${i}`, holdId: `${scope}-h${seq}-${i}`, expiresAtMs: now + 1_000 }));
              const results = await Promise.all(inputs.map((input) => store().take(scope, input)));
              results.forEach((result, i) => {
                if (result.ok) model.grant(inputs[i]!.key, inputs[i]!);
                else expect(['SOLD_OUT', 'LIMIT_REACHED']).toContain(result.code);
              });
            } else if (step.kind === 'reload') {
              await store().load(scope, model.state(), { keepQueue: step.keepQueue });
              if (!step.keepQueue) model.resetQueue();
            } else if (step.kind === 'enqueue') {
              const known = model.positions.get(`m${step.member}`);
              const position = known ?? model.queueLength + 1;
              expect(await store().enqueue(scope, `m${step.member}`)).toEqual({ ok: true, position, joined: known === undefined });
              if (known === undefined) model.positions.set(`m${step.member}`, (model.queueLength = position));
            } else if (step.kind === 'admit') {
              now += step.afterMs;
              const before = (await store().snapshot(scope))!;
              const result = await store().admit(scope, { ratePerSecond: 4, maxUnresolved: step.maxUnresolved, nowMs: now, admissionTtlMs: ADMISSION_TTL_MS });
              const after = (await store().snapshot(scope))!;
              expect(result).toEqual({ ok: true, frontier: after.frontier });
              // lapsed batches are forgotten (their members can no longer spend an admission), new ones recorded
              model.batches = model.batches.filter((b) => b.atMs + ADMISSION_TTL_MS > now);
              if (after.frontier > model.frontier) model.batches.push({ from: model.frontier + 1, to: after.frontier, atMs: now });
              model.frontier = after.frontier;
              if (after.frontier > before.frontier) expect(after.unresolved).toBeLessThanOrEqual(step.maxUnresolved);
            }
            await expectInvariants(store(), scope, model);
          }
          await store().drop(scope);
          runs += 1;
        }),
        { seed: 20_261_129, numRuns: 40 },
      );
      expect(runs).toBe(40);
    });
  });
}
