import { describe, expect, it } from 'vitest';
import { intervalFor, planPollIntervals, planRateBound, retryAfterMs, type PollPlan } from './poll-interval.js';
import { seededRandom } from '../../loadtest/virtual-user.js';

const BUDGET = 2_000;
/** jitter's worst case: every answer shortened by the full jitter fraction */
const worstJitter = () => 0.999_999;

/** Σ 1000 / retryAfterMs over tickets at distances 1…waiting: the poll rate those answers imply */
function impliedRate(plan: PollPlan, waiting: number, random: () => number): number {
  let rate = 0;
  for (let d = 1; d <= waiting; d++) rate += 1_000 / intervalFor(plan, d, random);
  return rate;
}

describe('poll interval', () => {
  it('when 1,000,000 tickets wait, then the polls their answers imply stay under the budget and the front polls every second', () => {
    const plan = planPollIntervals({ waiting: 1_000_000, budgetPerSecond: BUDGET });
    expect(impliedRate(plan, 1_000_000, worstJitter)).toBeLessThanOrEqual(BUDGET);
    // the front is "a few hundred" wide and polls at least once a second
    expect(plan.frontSize).toBeGreaterThanOrEqual(100);
    for (let d = 1; d <= plan.frontSize; d++) expect(intervalFor(plan, d, () => 0)).toBeLessThanOrEqual(1_000);
    // and the bound used to size the plan is a true upper bound of the exact sum
    expect(impliedRate(plan, 1_000_000, () => 0)).toBeLessThanOrEqual(planRateBound(plan, 1_000_000));
  });

  it('when the budget is ten times larger, then the front is wider and the sum still fits', () => {
    const plan = planPollIntervals({ waiting: 1_000_000, budgetPerSecond: 20_000 });
    expect(plan.frontSize).toBeGreaterThan(planPollIntervals({ waiting: 1_000_000, budgetPerSecond: BUDGET }).frontSize * 5);
    expect(impliedRate(plan, 1_000_000, worstJitter)).toBeLessThanOrEqual(20_000);
  });

  it('when a ticket is further back, then it is told to wait longer, never shorter', () => {
    const plan = planPollIntervals({ waiting: 1_000_000, budgetPerSecond: BUDGET });
    let previous = 0;
    for (const d of [1, 10, 100, plan.frontSize, plan.frontSize + 1, 1_000, 10_000, 100_000, 1_000_000]) {
      const ms = intervalFor(plan, d, () => 0);
      expect(ms).toBeGreaterThanOrEqual(previous);
      previous = ms;
    }
    expect(intervalFor(plan, 1_000_000, () => 0)).toBeGreaterThan(60_000);
  });

  it('when few wait, then everyone polls every second and the cap holds', () => {
    expect(retryAfterMs({ distance: 500, waiting: 500, budgetPerSecond: BUDGET, random: () => 0 })).toBe(1_000);
    const plan = planPollIntervals({ waiting: 20_000, budgetPerSecond: BUDGET, maxMs: 30_000 });
    expect(plan.capMs).toBe(30_000);
    expect(intervalFor(plan, 20_000, () => 0)).toBeLessThanOrEqual(30_000);
    expect(impliedRate(plan, 20_000, worstJitter)).toBeLessThanOrEqual(BUDGET);
  });

  it('when jitter is drawn, then answers spread below the planned interval and never above it', () => {
    const plan = planPollIntervals({ waiting: 100_000, budgetPerSecond: BUDGET });
    const random = seededRandom(7);
    const answers = Array.from({ length: 200 }, () => intervalFor(plan, 50_000, random));
    const planned = intervalFor(plan, 50_000, () => 0);
    expect(Math.max(...answers)).toBeLessThanOrEqual(planned);
    expect(Math.min(...answers)).toBeGreaterThanOrEqual(Math.floor(planned * (1 - plan.jitter)));
    expect(new Set(answers).size).toBeGreaterThan(50);
  });

  it('when the input is odd (distance 0, waiting below distance, tiny budget), then the answer is still a positive interval', () => {
    expect(retryAfterMs({ distance: 0, waiting: 0, budgetPerSecond: 0, random: () => 0.5 })).toBeGreaterThan(0);
    expect(retryAfterMs({ distance: 10_000, waiting: 1, budgetPerSecond: BUDGET, random: () => 0 })).toBeGreaterThan(1_000);
    expect(retryAfterMs({ distance: 5, waiting: 10, budgetPerSecond: BUDGET, minMs: 5_000 })).toBeLessThanOrEqual(1_000);
  });

  it('when polls of sales with different queues, budgets and settings interleave, then each answer is the one a fresh plan gives (the kept plan is never another input\'s)', () => {
    const random = seededRandom(7);
    const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    for (let i = 0; i < 2_000; i++) {
      const input = {
        distance: pick([1, 5, 300, 20_000]),
        waiting: pick([10, 1_000, 50_000]),
        budgetPerSecond: pick([500, BUDGET]),
        ...pick([{}, { minMs: 500 }, { maxMs: 30_000 }, { jitter: 0 }]),
      };
      const draw = random();
      const fresh = intervalFor(planPollIntervals({ ...input, waiting: Math.max(input.waiting, input.distance) }), input.distance, () => draw);
      expect(retryAfterMs({ ...input, random: () => draw })).toBe(fresh);
    }
  });

  describe('simulated: tickets are admitted and others join while everyone polls as told', () => {
    /**
     * Event simulation in 10 ms slots: every ticket polls when told; the frontier advances at
     * `admitPerSecond`, new tickets join at the back at `joinPerSecond`. Counts polls in each second
     * and, for admitted tickets, how late after its admission the ticket polled.
     */
    function simulate(input: { waiting: number; admitPerSecond: number; joinPerSecond: number; seconds: number; seed: number }) {
      const random = seededRandom(input.seed);
      const slotMs = 10;
      const slots = (input.seconds * 1_000) / slotMs;
      const schedule: number[][] = Array.from({ length: slots }, () => []);
      const at = (ms: number, position: number) => {
        const slot = Math.floor(ms / slotMs);
        if (slot < slots) schedule[slot]!.push(position);
      };
      let queueLength = input.waiting;
      // steady state: each ticket is somewhere inside its current interval
      const plan0 = planPollIntervals({ waiting: input.waiting, budgetPerSecond: BUDGET });
      for (let p = 1; p <= input.waiting; p++) at(random() * intervalFor(plan0, p, random), p);
      const pollsPerSecond = new Array<number>(input.seconds).fill(0);
      let worstLateMs = 0;
      for (let slot = 0; slot < slots; slot++) {
        const now = slot * slotMs;
        const frontier = Math.floor((input.admitPerSecond * now) / 1_000);
        const joined = input.waiting + Math.floor((input.joinPerSecond * now) / 1_000);
        const plan = planPollIntervals({ waiting: joined - frontier, budgetPerSecond: BUDGET });
        // a joiner's first poll comes when its join answer says (the join itself is not a poll)
        for (; queueLength < joined; ) {
          queueLength += 1;
          at(now + intervalFor(plan, queueLength - frontier, random), queueLength);
        }
        for (const position of schedule[slot]!) {
          pollsPerSecond[Math.floor(now / 1_000)]! += 1;
          if (position <= frontier) {
            worstLateMs = Math.max(worstLateMs, now - (position * 1_000) / input.admitPerSecond);
            continue; // admitted: goes on to reserve and stops polling
          }
          at(now + intervalFor(plan, position - frontier, random), position);
        }
        schedule[slot] = [];
      }
      return { pollsPerSecond, worstLateMs, admitted: Math.floor(input.admitPerSecond * input.seconds) };
    }

    it('when 1,000,000 wait, 100 are admitted and 500 join each second, then every second stays under the budget and nobody learns of admission more than a poll late', () => {
      const run = simulate({ waiting: 1_000_000, admitPerSecond: 100, joinPerSecond: 500, seconds: 40, seed: 1 });
      expect(Math.max(...run.pollsPerSecond)).toBeLessThanOrEqual(BUDGET);
      // the front really polls: about frontSize polls a second at least
      expect(Math.min(...run.pollsPerSecond)).toBeGreaterThan(100);
      // an admission rate below the front's poll rate means each ticket polls before (or within minMs after) its turn
      expect(run.worstLateMs).toBeLessThanOrEqual(1_000 + 10);
    });

    it('when admission outpaces the front (2,000 a second) and the queue drains, then every second still stays under the budget', () => {
      const run = simulate({ waiting: 200_000, admitPerSecond: 2_000, joinPerSecond: 0, seconds: 40, seed: 2 });
      expect(Math.max(...run.pollsPerSecond)).toBeLessThanOrEqual(BUDGET);
    });
  });
});
