import { describe, expect, it } from 'vitest';
import { type MakeCounterStore, loadedScope, takeInput, tally, useCounterStore } from './counter-store-fixture.contract-test.js';

/** take, release, settle, unsell and expired: the units are conserved whatever races */
export function stockContract(make: MakeCounterStore) {
  describe('stock', () => {
    const store = useCounterStore(make);

    it('when 1,000 takes by different members race for 10 units, then exactly 10 succeed and the rest are SOLD_OUT', async () => {
      const scope = await loadedScope(store(), 10);
      const results = await Promise.all(Array.from({ length: 1_000 }, () => store().take(scope, takeInput({ limit: 1 }))));
      expect(tally(results)).toEqual({ OK: 10, SOLD_OUT: 990 });
      expect(await store().snapshot(scope)).toMatchObject({ available: 0, held: 10, sold: 0 });
    });

    it('when one member sends 200 parallel takes under a limit of 2, then it holds 2 and the rest are LIMIT_REACHED', async () => {
      const scope = await loadedScope(store(), 100);
      const results = await Promise.all(Array.from({ length: 200 }, () => store().take(scope, takeInput({ member: 'eager', limit: 2 }))));
      expect(tally(results)).toEqual({ OK: 2, LIMIT_REACHED: 198 });
      expect(await store().snapshot(scope)).toMatchObject({ available: 98, held: 2 });
    });

    it('when a take would cross the member limit by its quantity, then it is refused whole and nothing is taken', async () => {
      const scope = await loadedScope(store(), 10);
      expect(await store().take(scope, takeInput({ member: 'm', quantity: 2, limit: 3 }))).toMatchObject({ ok: true });
      expect(await store().take(scope, takeInput({ member: 'm', quantity: 2, limit: 3 }))).toEqual({ ok: false, code: 'LIMIT_REACHED' });
      expect(await store().take(scope, takeInput({ member: 'm', quantity: 1, limit: 3 }))).toMatchObject({ ok: true });
      expect(await store().snapshot(scope)).toMatchObject({ available: 7, held: 3 });
    });

    it('when fewer units are left than asked for, then SOLD_OUT changes nothing and the key stays free for a later retry', async () => {
      const scope = await loadedScope(store(), 1);
      const retry = takeInput({ quantity: 2 });
      expect(await store().take(scope, retry)).toEqual({ ok: false, code: 'SOLD_OUT' });
      expect(await store().snapshot(scope)).toMatchObject({ available: 1, held: 0 });
      await store().load(scope, { available: 2, holds: [], soldByMember: {}, sold: [] });
      expect(await store().take(scope, retry)).toEqual({ ok: true, holdId: retry.holdId, expiresAtMs: retry.expiresAtMs, replayed: false });
    });

    it('when the same key is replayed, also 50 times in parallel, then every answer is the first hold and stock is taken once', async () => {
      const scope = await loadedScope(store(), 10);
      const input = takeInput({ quantity: 2 });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store().take(scope, { ...input, holdId: i === 0 ? input.holdId : `${input.holdId}-retry-${i}`, expiresAtMs: input.expiresAtMs + i })),
      );
      const winners = results.filter((r) => r.ok && !r.replayed);
      expect(winners).toHaveLength(1);
      const { holdId, expiresAtMs } = winners[0] as { holdId: string; expiresAtMs: number };
      for (const r of results) expect(r).toMatchObject({ ok: true, holdId, expiresAtMs });
      expect(await store().snapshot(scope)).toMatchObject({ available: 8, held: 2 });
    });

    it('when a key comes back with another quantity or member, then KEY_REUSED and nothing changes', async () => {
      const scope = await loadedScope(store(), 10);
      const input = takeInput({ member: 'alice', quantity: 1 });
      expect(await store().take(scope, input)).toMatchObject({ ok: true, replayed: false });
      const before = await store().snapshot(scope);
      expect(await store().take(scope, { ...input, quantity: 2, holdId: 'other-1' })).toEqual({ ok: false, code: 'KEY_REUSED' });
      expect(await store().take(scope, { ...input, member: 'bob', holdId: 'other-2' })).toEqual({ ok: false, code: 'KEY_REUSED' });
      expect(await store().snapshot(scope)).toEqual(before);
      expect(await store().release(scope, 'other-1')).toBe(false);
    });

    it('when a key is replayed after its hold was released, then it answers the first hold again and takes nothing', async () => {
      const scope = await loadedScope(store(), 5);
      const input = takeInput();
      await store().take(scope, input);
      expect(await store().release(scope, input.holdId)).toBe(true);
      expect(await store().take(scope, { ...input, holdId: 'new-id' })).toEqual({ ok: true, holdId: input.holdId, expiresAtMs: input.expiresAtMs, replayed: true });
      expect(await store().snapshot(scope)).toMatchObject({ available: 5, held: 0 });
    });

    it('when a hold is released, settled or unsold, then its units move between available, held and sold and the member count follows', async () => {
      const scope = await loadedScope(store(), 6);
      const [a, b, c] = [takeInput({ member: 'm', limit: 3 }), takeInput({ member: 'm', limit: 3 }), takeInput({ member: 'm', limit: 3 })];
      for (const input of [a, b, c]) expect(await store().take(scope, input)).toMatchObject({ ok: true });
      expect(await store().take(scope, takeInput({ member: 'm', limit: 3 }))).toEqual({ ok: false, code: 'LIMIT_REACHED' });

      expect(await store().release(scope, a.holdId)).toBe(true);
      expect(await store().release(scope, a.holdId)).toBe(false);
      expect(await store().snapshot(scope)).toMatchObject({ available: 4, held: 2, sold: 0 });

      expect(await store().settle(scope, b.holdId)).toBe(true);
      expect(await store().settle(scope, b.holdId)).toBe(false);
      expect(await store().release(scope, b.holdId)).toBe(false);
      expect(await store().unsell(scope, c.holdId)).toBe(false);
      expect(await store().snapshot(scope)).toMatchObject({ available: 4, held: 1, sold: 1 });
      // the released unit is off the member's count, the sold one stays on it
      expect(await store().take(scope, takeInput({ member: 'm', limit: 3 }))).toMatchObject({ ok: true });
      expect(await store().take(scope, takeInput({ member: 'm', limit: 3 }))).toEqual({ ok: false, code: 'LIMIT_REACHED' });

      expect(await store().unsell(scope, b.holdId)).toBe(true);
      expect(await store().unsell(scope, b.holdId)).toBe(false);
      expect(await store().snapshot(scope)).toMatchObject({ available: 4, held: 2, sold: 0 });
      expect(await store().take(scope, takeInput({ member: 'm', limit: 3 }))).toMatchObject({ ok: true });
    });

    it('when takes, releases and settles race, then available + held + sold stays the total', async () => {
      const scope = await loadedScope(store(), 50);
      const takes = Array.from({ length: 400 }, (_, i) => takeInput({ member: `m${i % 40}`, quantity: 1 + (i % 2), limit: 3 }));
      await Promise.all(
        takes.map(async (input, i) => {
          const r = await store().take(scope, input);
          if (!r.ok) return;
          if (i % 3 === 0) await store().release(scope, r.holdId);
          else if (i % 3 === 1) await store().settle(scope, r.holdId);
        }),
      );
      const snap = (await store().snapshot(scope))!;
      expect(snap.available + snap.held + snap.sold).toBe(50);
      expect(snap.available).toBeGreaterThanOrEqual(0);
    });

    it('when leases end, then expired() lists those holds oldest first, at most max, and they stay held', async () => {
      const scope = await loadedScope(store(), 10);
      const at = (expiresAtMs: number) => takeInput({ expiresAtMs });
      const [h100, h300, h200, h500] = [at(100), at(300), at(200), at(500)];
      for (const input of [h100, h300, h200, h500]) await store().take(scope, input);
      expect(await store().expired(scope, 300, 10)).toEqual([h100.holdId, h200.holdId, h300.holdId]);
      expect(await store().expired(scope, 300, 2)).toEqual([h100.holdId, h200.holdId]);
      expect(await store().expired(scope, 99, 10)).toEqual([]);
      expect(await store().snapshot(scope)).toMatchObject({ held: 4 });
      await store().release(scope, h100.holdId);
      await store().settle(scope, h200.holdId);
      expect(await store().expired(scope, 1_000, 10)).toEqual([h300.holdId, h500.holdId]);
    });

    it('when a new key comes with a hold id already in use, then the take rejects and nothing changes', async () => {
      const scope = await loadedScope(store(), 10);
      const first = takeInput();
      await store().take(scope, first);
      await expect(store().take(scope, takeInput({ holdId: first.holdId }))).rejects.toThrow(/already in use/);
      await store().settle(scope, first.holdId);
      await expect(store().take(scope, takeInput({ holdId: first.holdId }))).rejects.toThrow(/already in use/);
      expect(await store().snapshot(scope)).toMatchObject({ available: 9, held: 0, sold: 1 });
    });

    it('when the input is not whole units, then the call rejects and nothing changes', async () => {
      const scope = await loadedScope(store(), 10);
      await expect(store().take(scope, takeInput({ quantity: 0 }))).rejects.toThrow(RangeError);
      await expect(store().take(scope, takeInput({ quantity: 1.5 }))).rejects.toThrow(RangeError);
      await expect(store().take('not a scope', takeInput())).rejects.toThrow(RangeError);
      expect(await store().snapshot(scope)).toMatchObject({ available: 10, held: 0 });
    });
  });
}
