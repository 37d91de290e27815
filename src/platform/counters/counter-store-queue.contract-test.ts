import { describe, expect, it } from 'vitest';
import type { CounterStore } from './counter-store.js';
import { type MakeCounterStore, loadedScope, takeInput, useCounterStore } from './counter-store-fixture.contract-test.js';

const T0 = 1_800_000_000_000;

/** members at positions 1..n, joined in order */
async function queueOf(store: CounterStore, scope: string, n: number): Promise<string[]> {
  const members = Array.from({ length: n }, (_, i) => `waiter-${i + 1}`);
  for (const member of members) await store.enqueue(scope, member);
  return members;
}

/** enqueue and admit: one position per member, a frontier that moves at the rate and never past the room */
export function queueContract(make: MakeCounterStore) {
  describe('queue and admission', () => {
    const store = useCounterStore(make);
    const admit = (scope: string, nowMs: number, over: { ratePerSecond?: number; maxUnresolved?: number; admissionTtlMs?: number } = {}) =>
      store().admit(scope, { ratePerSecond: 10, maxUnresolved: 1_000, admissionTtlMs: 60_000, nowMs, ...over });

    it('when one member joins from 100 parallel calls, then it gets one position and exactly one call says joined', async () => {
      const scope = await loadedScope(store(), 10);
      await store().enqueue(scope, 'before');
      const results = await Promise.all(Array.from({ length: 100 }, () => store().enqueue(scope, 'keen')));
      expect(new Set(results.map((r) => (r.ok ? r.position : -1)))).toEqual(new Set([2]));
      expect(results.filter((r) => r.ok && r.joined)).toHaveLength(1);
      expect(await store().snapshot(scope)).toMatchObject({ queueLength: 2 });
    });

    it('when 300 members join in parallel, then their positions are exactly 1..300', async () => {
      const scope = await loadedScope(store(), 10);
      const results = await Promise.all(Array.from({ length: 300 }, (_, i) => store().enqueue(scope, `crowd-${i}`)));
      const positions = results.map((r) => (r.ok ? r.position : -1)).sort((a, b) => a - b);
      expect(positions).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
      expect(await store().snapshot(scope)).toMatchObject({ queueLength: 300, frontier: 0 });
    });

    it('when admits tick, then the frontier moves at the rate for the time since the last admit, carrying fractions', async () => {
      const scope = await loadedScope(store(), 1_000);
      await queueOf(store(), scope, 100);
      // the first admit of a scope pays out one second's worth
      expect(await admit(scope, T0)).toEqual({ ok: true, frontier: 10 });
      expect(await admit(scope, T0)).toEqual({ ok: true, frontier: 10 });
      expect(await admit(scope, T0 + 250)).toEqual({ ok: true, frontier: 12 });
      expect(await admit(scope, T0 + 500)).toEqual({ ok: true, frontier: 15 });
      // a clock behind the last admit admits nothing and does not rewind the pacing
      expect(await admit(scope, T0 + 100)).toEqual({ ok: true, frontier: 15 });
      expect(await admit(scope, T0 + 600)).toEqual({ ok: true, frontier: 16 });
    });

    it('when two processes tick at the same instant, then only one of them admits', async () => {
      const scope = await loadedScope(store(), 1_000);
      await queueOf(store(), scope, 100);
      await admit(scope, T0);
      const [a, b] = await Promise.all([admit(scope, T0 + 500), admit(scope, T0 + 500)]);
      expect([a, b]).toEqual([{ ok: true, frontier: 15 }, { ok: true, frontier: 15 }]);
    });

    it('when the sale idled for a minute, then one admit pays out at most one second of the rate', async () => {
      const scope = await loadedScope(store(), 1_000);
      await queueOf(store(), scope, 100);
      await admit(scope, T0);
      expect(await admit(scope, T0 + 60_000)).toEqual({ ok: true, frontier: 20 });
    });

    it('when the rate outruns the queue, then the frontier stops at the last position and moves on as members join', async () => {
      const scope = await loadedScope(store(), 1_000);
      await queueOf(store(), scope, 5);
      expect(await admit(scope, T0, { ratePerSecond: 100 })).toEqual({ ok: true, frontier: 5 });
      for (const member of ['late-1', 'late-2', 'late-3']) await store().enqueue(scope, member);
      expect(await admit(scope, T0 + 1_000, { ratePerSecond: 100 })).toEqual({ ok: true, frontier: 8 });
      expect(await store().snapshot(scope)).toMatchObject({ queueLength: 8, frontier: 8, unresolved: 8 });
    });

    it('when admitted members have not resolved, then the frontier waits at maxUnresolved and a take makes room for one more', async () => {
      const scope = await loadedScope(store(), 1_000);
      const members = await queueOf(store(), scope, 20);
      expect(await admit(scope, T0, { ratePerSecond: 100, maxUnresolved: 3 })).toEqual({ ok: true, frontier: 3 });
      expect(await admit(scope, T0 + 1_000, { ratePerSecond: 100, maxUnresolved: 3 })).toEqual({ ok: true, frontier: 3 });
      expect(await store().snapshot(scope)).toMatchObject({ unresolved: 3 });
      // a member not yet admitted takes nothing from the room it does not occupy
      await store().take(scope, takeInput({ member: members[10]! }));
      expect(await store().snapshot(scope)).toMatchObject({ unresolved: 3 });
      await store().take(scope, takeInput({ member: members[0]! }));
      await store().take(scope, takeInput({ member: members[0]! }));
      expect(await store().snapshot(scope)).toMatchObject({ unresolved: 2 });
      expect(await admit(scope, T0 + 2_000, { ratePerSecond: 100, maxUnresolved: 3 })).toEqual({ ok: true, frontier: 4 });
      // a lower cap (stock went down) admits nobody until enough resolve
      expect(await admit(scope, T0 + 3_000, { ratePerSecond: 100, maxUnresolved: 1 })).toEqual({ ok: true, frontier: 4 });
    });

    it('when admissions are older than the admission ttl, then they count as resolved and the room reopens', async () => {
      const scope = await loadedScope(store(), 1_000);
      const members = await queueOf(store(), scope, 20);
      // ten positions a millisecond: the room, not the rate, decides each step below
      const over = { ratePerSecond: 10_000, maxUnresolved: 3, admissionTtlMs: 5_000 };
      expect(await admit(scope, T0, over)).toEqual({ ok: true, frontier: 3 });
      await store().take(scope, takeInput({ member: members[1]! }));
      expect(await admit(scope, T0 + 4_990, over)).toEqual({ ok: true, frontier: 4 });
      expect(await admit(scope, T0 + 4_999, over)).toEqual({ ok: true, frontier: 4 });
      expect(await store().snapshot(scope)).toMatchObject({ unresolved: 3 });
      // the first batch (positions 1..3, one of them resolved) lapses at T0 + 5000; position 4 came later and stays
      expect(await admit(scope, T0 + 5_000, over)).toEqual({ ok: true, frontier: 6 });
      expect(await store().snapshot(scope)).toMatchObject({ unresolved: 3 });
      // a lapsed member that takes late does not free room twice
      await store().take(scope, takeInput({ member: members[0]! }));
      expect(await store().snapshot(scope)).toMatchObject({ unresolved: 3 });
      await store().take(scope, takeInput({ member: members[3]! }));
      expect(await store().snapshot(scope)).toMatchObject({ unresolved: 2 });
    });

    it('when an admitted member takes after its admission lapsed, then ADMISSION_EXPIRED and no counter moves, before and after admit counted the lapse', async () => {
      const scope = await loadedScope(store(), 1_000);
      const members = await queueOf(store(), scope, 20);
      const over = { ratePerSecond: 10_000, maxUnresolved: 3, admissionTtlMs: 5_000 };
      const spend = (member: string, nowMs: number) => store().take(scope, takeInput({ member, admission: { nowMs, ttlMs: 5_000 } }));
      expect(await admit(scope, T0, over)).toEqual({ ok: true, frontier: 3 });
      const before = await store().snapshot(scope);
      // at the deadline, before any admit noticed: refused, nothing written
      expect(await spend(members[0]!, T0 + 5_000)).toEqual({ ok: false, code: 'ADMISSION_EXPIRED' });
      expect(await store().snapshot(scope)).toEqual(before);
      // admit counts the whole batch lapsed (the refused take released nothing), and the room reopens by exactly 3
      expect(await admit(scope, T0 + 5_000, over)).toEqual({ ok: true, frontier: 6 });
      expect(await spend(members[1]!, T0 + 5_001)).toEqual({ ok: false, code: 'ADMISSION_EXPIRED' });
      expect(await store().snapshot(scope)).toMatchObject({ available: 1_000, held: 0, unresolved: 3 });
      // the next batch is in time; a member never admitted is not judged by the queue (its token is)
      expect(await spend(members[3]!, T0 + 9_999)).toMatchObject({ ok: true });
      expect(await spend(members[15]!, T0 + 9_999)).toMatchObject({ ok: true });
      expect(await store().snapshot(scope)).toMatchObject({ available: 998, held: 2, unresolved: 2 });
    });

    it('when an admission is spent by a take, then its lapse later does not release it again, and the spender may take again within its limit', async () => {
      const scope = await loadedScope(store(), 1_000);
      const members = await queueOf(store(), scope, 20);
      const over = { ratePerSecond: 10_000, maxUnresolved: 3, admissionTtlMs: 5_000 };
      expect(await admit(scope, T0, over)).toEqual({ ok: true, frontier: 3 });
      expect(await store().take(scope, takeInput({ member: members[0]!, admission: { nowMs: T0 + 100, ttlMs: 5_000 } }))).toMatchObject({ ok: true });
      expect(await store().snapshot(scope)).toMatchObject({ unresolved: 2 });
      // the lapse releases the two unspent admissions only: the room reopens by exactly 3, not 4
      expect(await admit(scope, T0 + 5_000, over)).toEqual({ ok: true, frontier: 6 });
      expect(await store().snapshot(scope)).toMatchObject({ unresolved: 3 });
      expect(await store().take(scope, takeInput({ member: members[0]!, admission: { nowMs: T0 + 6_000, ttlMs: 5_000 } }))).toMatchObject({ ok: true });
      expect(await store().snapshot(scope)).toMatchObject({ unresolved: 3, held: 2 });
    });

    it('when takes race the lapse of their admissions, then each admission is released exactly once: taken or lapsed, never both', async () => {
      const total = 1_000;
      const scope = await loadedScope(store(), total);
      const members = await queueOf(store(), scope, 100);
      const over = { ratePerSecond: 100_000, maxUnresolved: 40, admissionTtlMs: 1_000 };
      expect(await admit(scope, T0, over)).toEqual({ ok: true, frontier: 40 });
      // takes still in time by their own clock, interleaved with ticks of other processes that see the deadline passed
      const racing: Array<Promise<{ ok: boolean; code?: string } | { ok: true; frontier: number }>> = [];
      for (let i = 0; i < 40; i++) {
        racing.push(store().take(scope, takeInput({ member: members[i]!, admission: { nowMs: T0 + 999, ttlMs: 1_000 } })));
        if (i % 8 === 3) racing.push(admit(scope, T0 + 1_000 + i, { ...over, ratePerSecond: 0 }));
      }
      const results = await Promise.all(racing);
      const takes = results.filter((r): r is { ok: boolean; code?: string } => !('frontier' in r));
      const taken = takes.filter((r) => r.ok).length;
      expect(takes.filter((r) => !r.ok).every((r) => r.code === 'ADMISSION_EXPIRED')).toBe(true);
      expect(await store().snapshot(scope)).toMatchObject({ available: total - taken, held: taken });
      // whatever the interleaving, every admission of the batch is resolved once: the room is empty, not negative
      await admit(scope, T0 + 1_100, { ...over, ratePerSecond: 0 });
      expect(await store().snapshot(scope)).toMatchObject({ unresolved: 0, frontier: 40 });
      expect(await admit(scope, T0 + 2_000, { ...over, maxUnresolved: 5 })).toEqual({ ok: true, frontier: 45 });
    });

    it('when a tick finds the room full, then its credit is forfeited, fraction included, and no burst follows', async () => {
      const scope = await loadedScope(store(), 1_000);
      await queueOf(store(), scope, 100);
      expect(await admit(scope, T0)).toEqual({ ok: true, frontier: 10 });
      // 2.5 positions due, no room: nothing is admitted and nothing is saved up
      expect(await admit(scope, T0 + 250, { maxUnresolved: 10 })).toEqual({ ok: true, frontier: 10 });
      expect(await admit(scope, T0 + 500)).toEqual({ ok: true, frontier: 12 });
    });

    it('when the rate is zero, then nobody is admitted', async () => {
      const scope = await loadedScope(store(), 10);
      await queueOf(store(), scope, 3);
      expect(await admit(scope, T0, { ratePerSecond: 0 })).toEqual({ ok: true, frontier: 0 });
    });
  });
}
