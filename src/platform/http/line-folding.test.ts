import { describe, expect, it } from 'vitest';
import { createLineFolder } from './line-folding.js';

describe('line folding', () => {
  it('when a key repeats past its budget within a window, then the first lines pass, the rest are counted and reported once the window is over', () => {
    let now = 1_000;
    const folder = createLineFolder<string>({ perWindow: 3, windowMs: 1_000, now: () => now });
    const admitted = Array.from({ length: 10 }, () => folder.admit('info POST /r 409', 'POST /r answered 409'));
    expect(admitted).toEqual([true, true, true, false, false, false, false, false, false, false]);
    // the window is still open: nothing to report yet
    expect(folder.takeFolded()).toEqual([]);
    now += 1_000;
    expect(folder.takeFolded()).toEqual([{ key: 'info POST /r 409', subject: 'POST /r answered 409', folded: 7, sinceMs: 1_000 }]);
    // reported once
    expect(folder.takeFolded()).toEqual([]);
  });

  it('when a new window begins with lines folded in the last, then the next line passes and the last window is reported', () => {
    let now = 0;
    const folder = createLineFolder<string>({ perWindow: 1, windowMs: 1_000, now: () => now });
    expect([folder.admit('k', 'k'), folder.admit('k', 'k'), folder.admit('k', 'k')]).toEqual([true, false, false]);
    now = 1_500;
    expect([folder.admit('k', 'k'), folder.admit('k', 'k')]).toEqual([true, false]);
    now = 1_600;
    expect(folder.takeFolded()).toEqual([{ key: 'k', subject: 'k', folded: 2, sinceMs: 0 }]);
    expect(folder.takeFolded(true)).toEqual([{ key: 'k', subject: 'k', folded: 1, sinceMs: 1_500 }]);
  });

  it('when keys differ, then each has its own budget; a key that kept to its budget is never reported', () => {
    const folder = createLineFolder<string>({ perWindow: 2, now: () => 0 });
    expect([folder.admit('a', 'a'), folder.admit('b', 'b'), folder.admit('a', 'a'), folder.admit('b', 'b'), folder.admit('a', 'a')]).toEqual([true, true, true, true, false]);
    expect(folder.takeFolded(true)).toEqual([{ key: 'a', subject: 'a', folded: 1, sinceMs: 0 }]);
  });

  it('when more keys arrive than it tracks, then their lines are written rather than lost', () => {
    const folder = createLineFolder<string>({ perWindow: 1, maxKeys: 2, now: () => 0 });
    folder.admit('a', 'a');
    folder.admit('b', 'b');
    expect([folder.admit('c', 'c'), folder.admit('c', 'c'), folder.admit('c', 'c')]).toEqual([true, true, true]);
  });
});
