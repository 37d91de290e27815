/**
 * How long a waiting ticket waits before it polls again.
 *
 * The shape: the `frontSize` tickets nearest the frontier poll every `minMs` (≤ 1 s, so whoever is
 * admitted soon notices at once); behind them the interval grows linearly with the distance
 * (`minMs × distance / frontSize`), up to a cap. With linear growth the tail costs a harmonic sum,
 * (1000 × frontSize / minMs) × ln(depth / frontSize), so the whole queue costs about
 * front × (1 + ln(waiting / front)) polls per second: `planPollIntervals` picks the largest front that
 * keeps that under the budget for the number of tickets waiting now. The cap keeps the back polling
 * now and then, but when the waiting count is so large that the capped back alone would break the
 * budget the cap yields (the budget is the promise; the cap is a preference).
 *
 * A ticket's interval is computed at its poll for the queue of that moment; when the frontier then
 * moves, the ticket's distance and the waiting count shrink, so its stale interval is only ever longer
 * than a fresh one — the budget holds while waiters are admitted as well.
 */
export interface PollPlanInput {
  /** tickets still behind the frontier (queue length − frontier) */
  waiting: number;
  /** polls per second the whole queue may cost (FLASH_SALE_POLL_BUDGET_PER_SECOND) */
  budgetPerSecond: number;
  /** the front's interval; ≤ 1000 so the front polls at least once a second */
  minMs?: number;
  /** the back's interval when the budget allows it */
  maxMs?: number;
  /** each answer is shortened by up to this fraction (random), so clients that joined together spread out */
  jitter?: number;
}

export interface PollPlan {
  /** tickets within this distance poll every `minMs` */
  frontSize: number;
  minMs: number;
  /** the longest interval answered (≥ the requested maxMs when the budget needs more) */
  capMs: number;
  jitter: number;
}

export const DEFAULT_POLL_MIN_MS = 1_000;
export const DEFAULT_POLL_MAX_MS = 60_000;
export const DEFAULT_POLL_JITTER = 0.1;

export function planPollIntervals(input: PollPlanInput): PollPlan {
  const minMs = Math.max(50, Math.min(input.minMs ?? DEFAULT_POLL_MIN_MS, 1_000));
  const jitter = Math.min(Math.max(input.jitter ?? DEFAULT_POLL_JITTER, 0), 0.5);
  const waiting = Math.max(1, Math.ceil(input.waiting));
  // jitter only shortens intervals (the front must stay ≤ minMs), by at most 1/(1 − jitter):
  // planning for that much less keeps the worst case within the budget
  const budget = Math.max(input.budgetPerSecond, 1) * (1 - jitter);
  // the capped back may use at most half the budget; the rest is the front's and the slope's
  const capMs = Math.max(input.maxMs ?? DEFAULT_POLL_MAX_MS, minMs, Math.ceil((2 * 1_000 * waiting) / budget));
  // the rate only grows with the front (every interval shrinks as the front widens), so the widest
  // front within the budget is found by bisection
  let lo = 1;
  let hi = waiting;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (planRateBound({ frontSize: mid, minMs, capMs }, waiting) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return { frontSize: lo, minMs, capMs, jitter };
}

/** the interval for a ticket `distance` positions behind the frontier (1 = next to be admitted) */
export function intervalFor(plan: PollPlan, distance: number, random: () => number = Math.random): number {
  const d = Math.max(1, distance);
  const base = d <= plan.frontSize ? plan.minMs : Math.min(plan.capMs, (plan.minMs * d) / plan.frontSize);
  return Math.max(1, Math.floor(base * (1 - plan.jitter * random())));
}

export interface RetryAfterInput extends PollPlanInput {
  /** the ticket's position − the frontier; ≤ 0 means admitted (the caller answers minMs then) */
  distance: number;
  /** [0, 1); injected so tests are deterministic */
  random?: () => number;
}

/**
 * One call for a poll answer. The plan (a bisection of ~log2(waiting) rate bounds) is the same for every poll of a
 * sale until its queue or frontier moves, so the last one made is kept: a crowd polling one sale plans once per
 * snapshot (≤ 250 ms), not once per poll.
 */
export function retryAfterMs(input: RetryAfterInput): number {
  const waiting = Math.max(input.waiting, input.distance);
  const last = lastPlan;
  const plan =
    last && last.waiting === waiting && last.budgetPerSecond === input.budgetPerSecond && last.minMs === input.minMs && last.maxMs === input.maxMs && last.jitter === input.jitter
      ? last.plan
      : (lastPlan = { waiting, budgetPerSecond: input.budgetPerSecond, minMs: input.minMs, maxMs: input.maxMs, jitter: input.jitter, plan: planPollIntervals({ ...input, waiting }) }).plan;
  return intervalFor(plan, input.distance, input.random);
}
let lastPlan: (Pick<PollPlanInput, 'waiting' | 'budgetPerSecond' | 'minMs' | 'maxMs' | 'jitter'> & { plan: PollPlan }) | undefined;

/**
 * An upper bound of the polls per second that `waiting` tickets at distances 1…waiting cost under
 * `plan` before jitter: the front exactly, the linear tail by ∫ dx/x over each 1/d (which bounds the
 * harmonic sum from above), the capped back exactly.
 */
export function planRateBound(plan: Pick<PollPlan, 'frontSize' | 'minMs' | 'capMs'>, waiting: number): number {
  const front = Math.min(plan.frontSize, waiting);
  let rate = (front * 1_000) / plan.minMs;
  if (waiting <= plan.frontSize) return rate;
  // tail: distance d in (front, capStart) polls every minMs·d/front; from capStart on, every capMs
  const capStart = Math.ceil((plan.capMs * plan.frontSize) / plan.minMs);
  const tailEnd = Math.min(waiting, capStart - 1);
  if (tailEnd > plan.frontSize) rate += ((1_000 * plan.frontSize) / plan.minMs) * Math.log(tailEnd / plan.frontSize);
  if (waiting >= capStart) rate += ((waiting - capStart + 1) * 1_000) / plan.capMs;
  return rate;
}
