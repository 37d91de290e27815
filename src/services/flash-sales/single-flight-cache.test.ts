import { describe, expect, it } from 'vitest';
import { createSingleFlightCache } from './single-flight-cache.js';

function rig(maxAgeMs = 250) {
  let now = 1_000;
  let loads = 0;
  const pending: Array<(v: string) => void> = [];
  const cache = createSingleFlightCache<string>({
    load: (key) => {
      loads++;
      return new Promise<string>((resolve) => pending.push((v) => resolve(`${key}:${v}`)));
    },
    maxAgeMs,
    now: () => now,
    maxEntries: 2,
  });
  return { cache, advance: (ms: number) => void (now += ms), loads: () => loads, finish: (v: string) => pending.splice(0).forEach((r) => r(v)) };
}

describe('single-flight cache', () => {
  it('when many ask while a load runs, then they share that one load', async () => {
    const r = rig();
    const answers = Array.from({ length: 100 }, () => r.cache.get('sale'));
    r.finish('a');
    expect(await Promise.all(answers)).toEqual(Array(100).fill('sale:a'));
    expect(r.loads()).toBe(1);
  });

  it('when the value is younger than maxAgeMs, then it is served; at maxAgeMs it is loaded again', async () => {
    const r = rig();
    const first = r.cache.get('sale');
    r.finish('a');
    await first;
    r.advance(249);
    expect(await r.cache.get('sale')).toBe('sale:a');
    r.advance(1);
    const second = r.cache.get('sale');
    r.finish('b');
    expect(await second).toBe('sale:b');
    expect(r.loads()).toBe(2);
  });

  it('when a load fails, then the failure is not kept and the next get loads again', async () => {
    let attempt = 0;
    const cache = createSingleFlightCache<number>({ load: async () => (++attempt === 1 ? Promise.reject(new Error('down')) : attempt), maxAgeMs: 1_000, now: () => 0 });
    await expect(cache.get('k')).rejects.toThrow('down');
    expect(await cache.get('k')).toBe(2);
  });

  it('when forget is called or the entry limit passes, then the key is loaded afresh', async () => {
    const r = rig();
    const warm = [r.cache.get('a'), r.cache.get('b')];
    r.finish('1');
    await Promise.all(warm);
    r.cache.forget('a');
    const again = r.cache.get('a');
    r.finish('2');
    expect(await again).toBe('a:2');
    // a third key evicts the oldest (b)
    const c = r.cache.get('c');
    r.finish('3');
    await c;
    const b = r.cache.get('b');
    r.finish('4');
    expect(await b).toBe('b:4');
    expect(r.loads()).toBe(5);
  });

  it('when peeked, then only a finished load younger than maxAgeMs is returned, and peeking never starts a load', async () => {
    const r = rig();
    expect(r.cache.peek('sale')).toBeUndefined();
    expect(r.loads()).toBe(0);
    const loading = r.cache.get('sale');
    expect(r.cache.peek('sale')).toBeUndefined();
    r.finish('a');
    await loading;
    expect(r.cache.peek('sale')).toBe('sale:a');
    r.advance(250);
    expect(r.cache.peek('sale')).toBeUndefined();
    r.cache.forget('sale');
    expect(r.cache.peek('sale')).toBeUndefined();
    expect(r.loads()).toBe(1);
  });
});
