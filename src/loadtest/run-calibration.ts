import { saveCalibration, searchSustainedRate, spikeFromCalibration, type CalibrationResult, type CalibrationTrial } from './calibrate.js';
import { DEFAULT_OBJECTIVES, type Objectives } from './objectives.js';
import { runLoadTest, type LoadTestResult, type RunLoadTestOptions } from './run-load-test.js';

export interface RunCalibrationOptions extends Omit<RunLoadTestOptions, 'scenario' | 'objectives' | 'progress'> {
  objectives?: Partial<Objectives>;
  /** first rate tried, arrivals per second (default 10) */
  startRps?: number;
  /** the search never offers more than this (default 2000) */
  maxRps?: number;
  /** seconds each trial holds its rate (default 15) */
  stepSec?: number;
  /** bisection steps after the first miss (default 3) */
  refineSteps?: number;
  /** one line per trial; false for silence */
  progress?: NodeJS.WritableStream | false;
}

const pct = (r: number) => `${(r * 100).toFixed(1)} %`;

/**
 * Above this share of refusals (429/503) a trial is a miss: the shop sustains what it serves, and once it sheds
 * a fast 503 would otherwise pass the latency objective for the browsing it refused.
 */
export const MAX_REFUSED_SHARE = 0.01;

/** what one trial run says about the objectives; a saturated generator, a failed correctness check or shedding is a miss too */
export function judgeTrial(rps: number, result: LoadTestResult): CalibrationTrial {
  const judged = result.steps.filter((s) => s.step !== 'total' && s.count > 0);
  const answers = judged.reduce((n, s) => n + s.count, 0);
  const refused = judged.reduce((n, s) => n + s.refused, 0);
  const misses = result.checks
    .filter((c) => c.status === 'failed' || (c.name === 'generator kept the arrival schedule' && c.status === 'warning'))
    .map((c) => `${c.name}: ${c.detail}`);
  if (answers > 0 && refused / answers > MAX_REFUSED_SHARE) misses.push(`refused (429/503): ${pct(refused / answers)} of ${answers} answers > ${pct(MAX_REFUSED_SHARE)}`);
  return {
    rps,
    passed: misses.length === 0,
    worstP99Ms: Math.round(Math.max(0, ...judged.map((s) => s.p99))),
    worstErrorRate: Math.max(0, ...judged.map((s) => s.errors / s.count)),
    misses,
  };
}

/**
 * `floodgate loadtest calibrate`: the spike's visitor mix at a constant rate, one short trial per rate,
 * searching for the highest rate that holds the objectives. The result is saved per target so that
 * `loadtest spike` can size itself to this machine (baseline 5 %, peak 2× the sustained rate).
 */
export async function runCalibration(o: RunCalibrationOptions): Promise<{ result: CalibrationResult; file: string | undefined }> {
  const { startRps = 10, maxRps = 2000, stepSec = 15, refineSteps = 3, progress = process.stderr, outDir = 'reports', objectives: given, ...rest } = o;
  const objectives: Objectives = { ...DEFAULT_OBJECTIVES, ...Object.fromEntries(Object.entries(given ?? {}).filter(([, v]) => v !== undefined)) };
  const say = (line: string) => progress && progress.write(`${line}\n`);
  say(`calibrating ${o.target}: the spike's mix at constant rates, ${stepSec} s each, from ${startRps}/s (at most ${maxRps}/s); objectives p99 ≤ ${objectives.p99Ms} ms, errors ≤ ${pct(objectives.errorRate)}`);

  const trial = async (rps: number): Promise<CalibrationTrial> => {
    const run = await runLoadTest({
      ...rest,
      scenario: 'spike',
      baselineRps: rps,
      multiplier: 1,
      durationSec: stepSec,
      rampSec: 0,
      holdSec: 0,
      recoverySec: 0,
      objectives,
      outDir: false,
      progress: false,
    });
    const judged = judgeTrial(rps, run);
    say(`  ${String(rps).padStart(6)}/s  p99 ${String(judged.worstP99Ms).padStart(6)} ms  errors ${pct(judged.worstErrorRate).padStart(7)}  ${judged.passed ? 'held' : `missed — ${judged.misses[0]}`}`);
    return judged;
  };
  const { sustainedRps, trials } = await searchSustainedRate(trial, { startRps, maxRps, refineSteps });
  const result: CalibrationResult = { target: o.target, sustainedRps, objectives, stepSec, measuredAt: new Date().toISOString(), trials };
  const file = outDir === false ? undefined : await saveCalibration(outDir, result);
  if (sustainedRps > 0) {
    const spike = spikeFromCalibration(sustainedRps);
    say(`sustained: ${sustainedRps} arrivals/s within the objectives${sustainedRps >= maxRps ? ` (the --max-rps cap; the shop may take more)` : ''}`);
    say(`loadtest spike against this target now defaults to baseline ${spike.baselineRps}/s × ${spike.multiplier} (peak ${Math.round(spike.baselineRps * spike.multiplier)}/s = 2× sustained)${file ? `; saved in ${file}` : ''}`);
  } else {
    say(`even ${Math.min(startRps, maxRps)} arrivals/s missed the objectives: lower --start-rps, or relax --slo-p99 / --slo-error-rate`);
  }
  return { result, file };
}
