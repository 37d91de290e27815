import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CounterStore, ScopeState } from './counter-store.js';
import { type MakeCounterStore, freshScope, useCounterStore } from './counter-store-fixture.contract-test.js';

const LIMIT = 3;
const MEMBERS = 6;
const T0 = 1_800_000_000_000;

type Op =
  | { kind: 'take'; member: number; quantity: number; key: number; leaseMs: number }
  | { kind: 'release' | 'settle' | 'unsell'; hold: number }
  | { kind: 'expire'; afterMs: number }
  | { kind: 'rush'; members: number[] }
  | { kind: 'reload'; keepQueue: boolean }
  | { kind: 'enqueue'; member: number }
  | { kind: 'admit'; afterMs: number; maxUnresolved: number };

const member = fc.integer({ min: 0, max: MEMBERS - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('take' as const), member, quantity: fc.integer({ min: 1, max: 2 }), key: fc.integer({ min: 0, max: 9 }), leaseMs: fc.integer({ min: 0, max: 5_000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('release' as const, 'settle' as const, 'unsell' as const), hold: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), afterMs: fc.integer({ min: 0, max: 3_000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rush' as const), members: fc.array(member, { minLength: 2, maxLength: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reload' as const), keepQueue: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('enqueue' as const), member }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('admit' as const), afterMs: fc.integer({ min: 0, max: 1_500 }), maxUnresolved: fc.nat(4) }) },
);

interface ModelHold { holdId: string; member: string; quantity: number; expiresAtMs: number; state: 'held' | 'sold' | 'gone' }

/** what the store must hold after the same operations, one at a time */
class Model {
  holds: ModelHold[] = [];
  keys = new Map<string, { member: string; quantity: number; hold: ModelHold }>();
  constructor(public readonly total: number, public available: number) {}

  units(member: string) {
    return this.holds.filter((h) => h.member === member && h.state !== 'gone').reduce((sum, h) => sum + h.quantity, 0);
  }
  sum(state: ModelHold['state']) {
    return this.holds.filter((h) => h.state === state).reduce((sum, h) => sum + h.quantity, 0);
  }
  predictTake(key: string, who: string, quantity: number): true | 'KEY_REUSED' | 'LIMIT_REACHED' | 'SOLD_OUT' | 'REPLAY' {
    const first = this.keys.get(key);
    if (first) return first.member === who && first.quantity === quantity ? 'REPLAY' : 'KEY_REUSED';
    if (this.units(who) + quantity > LIMIT) return 'LIMIT_REACHED';
    if (this.available < quantity) return 'SOLD_OUT';
    return true;
  }
  grant(key: string, hold: Omit<ModelHold, 'state'>) {
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
              const input = { member: `m${step.member}`, quantity: step.quantity, limit: LIMIT, key: `k${step.key}`, holdId: `${scope}-h${seq}`, expiresAtMs: now + step.leaseMs };
              const expected = model.predictTake(input.key, input.member, input.quantity);
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
            } else if (step.kind === 'enqueue') {
              expect(await store().enqueue(scope, `m${step.member}`)).toMatchObject({ ok: true });
            } else if (step.kind === 'admit') {
              now += step.afterMs;
              const before = (await store().snapshot(scope))!;
              const result = await store().admit(scope, { ratePerSecond: 4, maxUnresolved: step.maxUnresolved, nowMs: now, admissionTtlMs: 2_000 });
              const after = (await store().snapshot(scope))!;
              expect(result).toEqual({ ok: true, frontier: after.frontier });
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
