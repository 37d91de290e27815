import { describe, expect, it } from 'vitest';
import type { CounterStore } from './counter-store.js';
import { type MakeCounterStore, emptyState, freshScope, loadedScope, takeInput, useCounterStore } from './counter-store-fixture.contract-test.js';

const T0 = 1_800_000_000_000;

/** every operation of a scope that is not loaded answers NOT_LOADED (or null, false, []) and changes nothing */
export async function expectNotLoaded(store: CounterStore, scope: string, holdId = 'any-hold') {
  expect(await store.snapshot(scope)).toBeNull();
  expect(await store.enqueue(scope, 'someone')).toEqual({ ok: false, code: 'NOT_LOADED' });
  expect(await store.admit(scope, { ratePerSecond: 10, maxUnresolved: 10, nowMs: T0, admissionTtlMs: 60_000 })).toEqual({ ok: false, code: 'NOT_LOADED' });
  expect(await store.take(scope, takeInput())).toEqual({ ok: false, code: 'NOT_LOADED' });
  expect(await store.release(scope, holdId)).toBe(false);
  expect(await store.settle(scope, holdId)).toBe(false);
  expect(await store.unsell(scope, holdId)).toBe(false);
  expect(await store.expired(scope, T0 * 2, 10)).toEqual([]);
  // answering did not bring the scope into being
  expect(await store.snapshot(scope)).toBeNull();
}

/** load, drop and NOT_LOADED: the reconciler's rebuild from PostgreSQL */
export function lifecycleContract(make: MakeCounterStore) {
  describe('load and drop', () => {
    const store = useCounterStore(make);

    it('when a scope was never loaded, then every operation answers NOT_LOADED and nothing is created', async () => {
      await expectNotLoaded(store(), freshScope());
    });

    it('when a scope is dropped, then every operation answers NOT_LOADED, its holds included', async () => {
      const scope = await loadedScope(store(), 5);
      const hold = takeInput();
      await store().take(scope, hold);
      await store().enqueue(scope, 'waiting');
      await store().drop(scope);
      await expectNotLoaded(store(), scope, hold.holdId);
      // dropping twice is harmless
      await store().drop(scope);
    });

    it('when a state is loaded, then the counters, member counts, live and sold holds all come from it', async () => {
      const scope = freshScope();
      await store().load(scope, {
        available: 5,
        holds: [
          { holdId: 'h-1', member: 'ann', quantity: 1, expiresAtMs: 200 },
          { holdId: 'h-2', member: 'ben', quantity: 2, expiresAtMs: 100 },
        ],
        soldByMember: { ann: 1, cat: 2 },
        sold: [{ holdId: 's-1', member: 'cat', quantity: 2 }],
      });
      expect(await store().snapshot(scope)).toEqual({ available: 5, held: 3, sold: 3, queueLength: 0, frontier: 0, unresolved: 0 });
      expect(await store().expired(scope, 1_000, 10)).toEqual(['h-2', 'h-1']);
      // ann holds 1 and bought 1: a limit of 2 is reached
      expect(await store().take(scope, takeInput({ member: 'ann', limit: 2 }))).toEqual({ ok: false, code: 'LIMIT_REACHED' });
      expect(await store().unsell(scope, 's-1')).toBe(true);
      expect(await store().release(scope, 'h-2')).toBe(true);
      expect(await store().snapshot(scope)).toMatchObject({ available: 9, held: 1, sold: 1 });
      expect(await store().take(scope, takeInput({ member: 'cat', limit: 2, quantity: 2 }))).toMatchObject({ ok: true });
    });

    it('when a loaded scope is loaded again, then the new state replaces the old one, queue included', async () => {
      const scope = await loadedScope(store(), 10);
      const old = takeInput();
      await store().take(scope, old);
      await store().enqueue(scope, 'first');
      await store().admit(scope, { ratePerSecond: 10, maxUnresolved: 10, nowMs: T0, admissionTtlMs: 60_000 });
      await store().load(scope, emptyState(3));
      expect(await store().snapshot(scope)).toEqual({ available: 3, held: 0, sold: 0, queueLength: 0, frontier: 0, unresolved: 0 });
      expect(await store().release(scope, old.holdId)).toBe(false);
      expect(await store().enqueue(scope, 'second')).toEqual({ ok: true, position: 1, joined: true });
    });

    it('when a scope is reloaded with keepQueue, then positions, the frontier and the pacing survive', async () => {
      const scope = await loadedScope(store(), 10);
      for (const member of ['a', 'b', 'c', 'd']) await store().enqueue(scope, member);
      await store().admit(scope, { ratePerSecond: 2, maxUnresolved: 10, nowMs: T0, admissionTtlMs: 60_000 });
      await store().load(scope, emptyState(7), { keepQueue: true });
      expect(await store().snapshot(scope)).toEqual({ available: 7, held: 0, sold: 0, queueLength: 4, frontier: 2, unresolved: 2 });
      expect(await store().enqueue(scope, 'c')).toEqual({ ok: true, position: 3, joined: false });
      expect(await store().enqueue(scope, 'e')).toEqual({ ok: true, position: 5, joined: true });
      // the last admit's time survived: the same instant admits nothing more
      expect(await store().admit(scope, { ratePerSecond: 2, maxUnresolved: 10, nowMs: T0, admissionTtlMs: 60_000 })).toEqual({ ok: true, frontier: 2 });
    });

    it('when a scope is reloaded, then a take whose hold survived still replays and one whose hold is gone takes afresh', async () => {
      const scope = await loadedScope(store(), 10);
      const kept = takeInput({ member: 'ann' });
      const lost = takeInput({ member: 'ben' });
      await store().take(scope, kept);
      await store().take(scope, lost);
      // the truth has ann's hold; ben's never reached PostgreSQL
      await store().load(scope, { available: 9, holds: [{ holdId: kept.holdId, member: 'ann', quantity: 1, expiresAtMs: kept.expiresAtMs }], soldByMember: {}, sold: [] });
      expect(await store().take(scope, { ...kept, holdId: 'retry-1' })).toEqual({ ok: true, holdId: kept.holdId, expiresAtMs: kept.expiresAtMs, replayed: true });
      expect(await store().take(scope, { ...lost, holdId: 'retry-2' })).toMatchObject({ ok: true, holdId: 'retry-2', replayed: false });
      expect(await store().snapshot(scope)).toMatchObject({ available: 8, held: 2 });
    });

    it('when the counters were lost and the state carries the holds\' keys, then takes retried with those keys replay', async () => {
      const scope = await loadedScope(store(), 10);
      const live = takeInput({ member: 'ann', quantity: 2 });
      const bought = takeInput({ member: 'ben' });
      await store().take(scope, live);
      await store().take(scope, bought);
      await store().settle(scope, bought.holdId);
      await store().drop(scope);
      await store().load(scope, {
        available: 7,
        holds: [{ holdId: live.holdId, member: 'ann', quantity: 2, expiresAtMs: live.expiresAtMs, key: live.key }],
        soldByMember: { ben: 1 },
        sold: [{ holdId: bought.holdId, member: 'ben', quantity: 1, key: bought.key, expiresAtMs: bought.expiresAtMs }],
      });
      expect(await store().take(scope, { ...live, holdId: 'retry-1' })).toEqual({ ok: true, holdId: live.holdId, expiresAtMs: live.expiresAtMs, replayed: true });
      expect(await store().take(scope, { ...bought, holdId: 'retry-2' })).toEqual({ ok: true, holdId: bought.holdId, expiresAtMs: bought.expiresAtMs, replayed: true });
      expect(await store().take(scope, { ...live, quantity: 1, holdId: 'retry-3' })).toEqual({ ok: false, code: 'KEY_REUSED' });
      expect(await store().snapshot(scope)).toMatchObject({ available: 7, held: 2, sold: 1 });
    });

    it('when a state does not add up, then load rejects and the scope keeps what it had', async () => {
      const scope = await loadedScope(store(), 4);
      const bad = { available: 1, holds: [], soldByMember: { ann: 1 }, sold: [{ holdId: 's', member: 'ann', quantity: 2 }] };
      await expect(store().load(scope, bad)).rejects.toThrow(RangeError);
      await expect(store().load(scope, { ...emptyState(1), available: -1 })).rejects.toThrow(RangeError);
      expect(await store().snapshot(scope)).toMatchObject({ available: 4 });
    });
  });
}
