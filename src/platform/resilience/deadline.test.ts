import { describe, expect, it } from 'vitest';
import { capToDeadline, currentDeadline, remainingMs, runWithDeadline, runWithoutDeadline } from './deadline.js';

/** a clock the test moves by hand */
function manualClock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('request deadline', () => {
  it('when no deadline runs, then the remaining time is unbounded and a cap leaves the call its own timeout', () => {
    expect(currentDeadline()).toBeUndefined();
    expect(remainingMs()).toBe(Infinity);
    expect(capToDeadline(2_000)).toBe(2_000);
  });

  it('when time passes inside a deadline, then the remaining time shrinks to 0 and never below', () => {
    const clock = manualClock();
    runWithDeadline(4_000, () => {
      expect(remainingMs()).toBe(4_000);
      clock.advance(1_500);
      expect(remainingMs()).toBe(2_500);
      expect(capToDeadline(5_000)).toBe(2_500);
      expect(capToDeadline(1_000)).toBe(1_000);
      expect(currentDeadline()?.expired()).toBe(false);
      clock.advance(3_000);
      expect(remainingMs()).toBe(0);
      expect(currentDeadline()?.expired()).toBe(true);
    }, clock);
  });

  it('when the work awaits across promises and timers, then it still sees its own deadline', async () => {
    const clock = manualClock();
    const seen = await runWithDeadline(3_000, async () => {
      await Promise.resolve();
      clock.advance(1_000);
      await new Promise((r) => setImmediate(r));
      return remainingMs();
    }, clock);
    expect(seen).toBe(2_000);
    expect(currentDeadline()).toBeUndefined();
  });

  it('when two units run concurrently, then each sees only its own deadline and marks', async () => {
    const clock = manualClock();
    const unit = (ms: number, mark: boolean) => runWithDeadline(ms, async () => {
      if (mark) currentDeadline()?.markUnavailable('database', new Error('gone'));
      await new Promise((r) => setImmediate(r));
      return { left: remainingMs(), gone: currentDeadline()?.unavailable('database') !== undefined };
    }, clock);
    const [a, b] = await Promise.all([unit(1_000, true), unit(5_000, false)]);
    expect(a).toEqual({ left: 1_000, gone: true });
    expect(b).toEqual({ left: 5_000, gone: false });
  });

  it('when a deadline is nested in a tighter one, then the tighter one wins; when in a looser one, then its own', () => {
    const clock = manualClock();
    runWithDeadline(2_000, () => {
      clock.advance(500);
      runWithDeadline(10_000, () => expect(remainingMs()).toBe(1_500), clock);
      runWithDeadline(1_000, () => expect(remainingMs()).toBe(1_000), clock);
    }, clock);
  });

  it('when a nested unit marks a dependency out, then the unit around it sees the mark too (first cause kept)', () => {
    const clock = manualClock();
    const first = new Error('breaker open');
    runWithDeadline(2_000, () => {
      runWithDeadline(1_000, () => {
        currentDeadline()?.markUnavailable('database', first);
        currentDeadline()?.markUnavailable('database', new Error('later'));
      }, clock);
      expect(currentDeadline()?.unavailable('database')).toEqual({ cause: first });
      expect(currentDeadline()?.unavailable('psp')).toBeUndefined();
    }, clock);
  });

  it('when work is started outside the deadline from inside a unit, then it has no deadline', () => {
    const clock = manualClock();
    runWithDeadline(1_000, () => {
      runWithoutDeadline(() => expect(remainingMs()).toBe(Infinity));
      expect(remainingMs()).toBe(1_000);
    }, clock);
  });

  it('when a deadline of 0 or less is asked for, then it is already expired', () => {
    const clock = manualClock();
    runWithDeadline(-5, () => {
      expect(remainingMs()).toBe(0);
      expect(currentDeadline()?.expired()).toBe(true);
    }, clock);
  });
});
