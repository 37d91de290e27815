/**
 * An arrival-rate profile: consecutive phases, each ramping linearly from `fromRate` to `toRate`
 * arrivals per second. Arrivals follow the profile whatever the server does (open model).
 */
export interface Phase {
  name: string;
  durationSec: number;
  fromRate: number;
  toRate: number;
}

export function totalDuration(phases: readonly Phase[]): number {
  return phases.reduce((sum, p) => sum + p.durationSec, 0);
}

/** the target arrival rate at `t` seconds after the start; 0 after the last phase */
export function rateAt(phases: readonly Phase[], t: number): number {
  let start = 0;
  for (const p of phases) {
    if (t < start + p.durationSec) {
      const f = p.durationSec === 0 ? 1 : (t - start) / p.durationSec;
      return p.fromRate + (p.toRate - p.fromRate) * Math.max(0, f);
    }
    start += p.durationSec;
  }
  return 0;
}

/** the phase `t` falls in, for labels; the last phase after the end */
export function phaseAt(phases: readonly Phase[], t: number): Phase | undefined {
  let start = 0;
  for (const p of phases) {
    if (t < start + p.durationSec) return p;
    start += p.durationSec;
  }
  return phases.at(-1);
}

/** how many arrivals are due by `t`: the integral of the rate from 0 to t */
export function expectedArrivals(phases: readonly Phase[], t: number): number {
  let start = 0;
  let total = 0;
  for (const p of phases) {
    const within = Math.min(Math.max(t - start, 0), p.durationSec);
    if (within > 0) {
      const slope = (p.toRate - p.fromRate) / p.durationSec;
      total += p.fromRate * within + (slope * within * within) / 2;
    }
    if (t <= start + p.durationSec) break;
    start += p.durationSec;
  }
  return total;
}

/**
 * When the n-th arrival (1-based) is due, in seconds: the inverse of `expectedArrivals`.
 * Used to measure how late the generator started an arrival. Infinity when the profile never gets there.
 */
export function arrivalTime(phases: readonly Phase[], n: number): number {
  let start = 0;
  let before = 0;
  for (const p of phases) {
    const inPhase = ((p.fromRate + p.toRate) / 2) * p.durationSec;
    if (before + inPhase >= n && inPhase > 0) {
      const need = n - before;
      const a = (p.toRate - p.fromRate) / (2 * p.durationSec);
      const b = p.fromRate;
      // solve a·τ² + b·τ = need for the smallest τ ≥ 0
      const tau = Math.abs(a) < 1e-12 ? need / b : (-b + Math.sqrt(Math.max(0, b * b + 4 * a * need))) / (2 * a);
      return start + Math.min(Math.max(tau, 0), p.durationSec);
    }
    before += inPhase;
    start += p.durationSec;
  }
  return Number.POSITIVE_INFINITY;
}
