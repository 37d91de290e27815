import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Objectives } from './objectives.js';

/** one constant-rate trial: did the shop hold every objective at this arrival rate? */
export interface CalibrationTrial {
  rps: number;
  passed: boolean;
  /** the worst step's p99 and error rate, for the table */
  worstP99Ms: number;
  worstErrorRate: number;
  /** why it missed, in the objectives' own words */
  misses: string[];
}

export interface CalibrationResult {
  target: string;
  /** the highest rate tried that held every objective; 0 when even the first one missed */
  sustainedRps: number;
  objectives: Objectives;
  stepSec: number;
  measuredAt: string;
  trials: CalibrationTrial[];
}

export interface SearchOptions {
  startRps: number;
  maxRps: number;
  /** bisection steps between the last rate that held and the first that missed */
  refineSteps: number;
}

/**
 * Finds the highest arrival rate that holds the objectives: doubles from `startRps` until a trial misses
 * (or `maxRps` holds), then bisects between the last pass and the first miss. Trials run one after the
 * other against the live shop, so the search is a handful of short runs, not a sweep.
 */
export async function searchSustainedRate(trial: (rps: number) => Promise<CalibrationTrial>, o: SearchOptions): Promise<{ sustainedRps: number; trials: CalibrationTrial[] }> {
  const trials: CalibrationTrial[] = [];
  const run = async (rps: number) => {
    const t = await trial(rps);
    trials.push(t);
    return t.passed;
  };
  let good = 0;
  let bad: number | undefined;
  for (let rps = Math.min(o.startRps, o.maxRps); ; rps = Math.min(rps * 2, o.maxRps)) {
    if (await run(rps)) good = rps;
    else {
      bad = rps;
      break;
    }
    if (rps >= o.maxRps) break;
  }
  if (bad !== undefined && good > 0) {
    for (let i = 0; i < o.refineSteps; i += 1) {
      const mid = Math.round((good + bad) / 2);
      // closer than a few percent is within the noise of one short trial
      if (mid <= good || mid >= bad || (bad - good) / good < 0.05) break;
      if (await run(mid)) good = mid;
      else bad = mid;
    }
  }
  return { sustainedRps: good, trials };
}

/** the spike's shape relative to a calibrated rate: baseline 5 % of it, peak 2× it (docs/load-testing.md) */
export function spikeFromCalibration(sustainedRps: number): { baselineRps: number; multiplier: number } {
  const baselineRps = Math.max(1, Math.round(sustainedRps * 0.05 * 10) / 10);
  return { baselineRps, multiplier: Math.round(((sustainedRps * 2) / baselineRps) * 10) / 10 };
}

/** calibrations are per target: the file keeps one entry per shop origin */
export const calibrationFile = (outDir: string) => join(outDir, 'calibration.json');

export async function saveCalibration(outDir: string, result: CalibrationResult): Promise<string> {
  const file = calibrationFile(outDir);
  const all = await readAll(file);
  all[new URL(result.target).origin] = result;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(all, null, 2)}\n`);
  return file;
}

export async function loadCalibration(outDir: string, target: string): Promise<CalibrationResult | undefined> {
  const found = (await readAll(calibrationFile(outDir)))[new URL(target).origin];
  return found && typeof found.sustainedRps === 'number' && found.sustainedRps > 0 ? found : undefined;
}

async function readAll(file: string): Promise<Record<string, CalibrationResult>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, CalibrationResult>) : {};
  } catch {
    // absent or unreadable: as if never calibrated (the next calibration rewrites it)
    return {};
  }
}
