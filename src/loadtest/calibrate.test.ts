import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { calibrationFile, loadCalibration, saveCalibration, searchSustainedRate, spikeFromCalibration, type CalibrationResult, type CalibrationTrial } from './calibrate.js';
import { judgeTrial } from './run-calibration.js';
import type { LoadTestResult } from './run-load-test.js';

/** a shop that holds its objectives up to `capacity` arrivals per second and misses above it */
const shopWithCapacity = (capacity: number) => async (rps: number): Promise<CalibrationTrial> => ({
  rps,
  passed: rps <= capacity,
  worstP99Ms: rps <= capacity ? 50 : 5_000,
  worstErrorRate: 0,
  misses: rps <= capacity ? [] : ['objective: product (p99 ≤ 2000 ms, errors ≤ 1.0 %): missed'],
});

describe('searching the sustained rate', () => {
  it('when the shop holds up to 300/s, then doubling from 10 finds the bracket 160–320 and bisection narrows it to within 5 %', async () => {
    const { sustainedRps, trials } = await searchSustainedRate(shopWithCapacity(300), { startRps: 10, maxRps: 2000, refineSteps: 6 });
    expect(trials.slice(0, 7).map((t) => t.rps)).toEqual([10, 20, 40, 80, 160, 320, 240]);
    expect(sustainedRps).toBeLessThanOrEqual(300);
    expect(sustainedRps).toBeGreaterThanOrEqual(285);
    // every rate it reports was actually tried and held
    expect(trials.find((t) => t.rps === sustainedRps)?.passed).toBe(true);
  });

  it('when the shop holds everything up to the cap, then the cap is the answer and nothing above it is offered', async () => {
    const { sustainedRps, trials } = await searchSustainedRate(shopWithCapacity(10_000), { startRps: 10, maxRps: 50, refineSteps: 3 });
    expect(sustainedRps).toBe(50);
    expect(trials.map((t) => t.rps)).toEqual([10, 20, 40, 50]);
  });

  it('when even the first rate misses, then the answer is 0 after one trial', async () => {
    const { sustainedRps, trials } = await searchSustainedRate(shopWithCapacity(5), { startRps: 10, maxRps: 2000, refineSteps: 3 });
    expect(sustainedRps).toBe(0);
    expect(trials).toHaveLength(1);
  });

  it('when a rate is calibrated, then the spike is 5 % of it at baseline and 2× it at the peak', () => {
    const size = spikeFromCalibration(400);
    expect(size.baselineRps).toBe(20);
    expect(size.baselineRps * size.multiplier).toBeCloseTo(800, 0);
    // a slow machine still gets at least one arrival per second at baseline
    expect(spikeFromCalibration(8).baselineRps).toBe(1);
    expect(spikeFromCalibration(8).multiplier).toBe(16);
  });
});

describe('the calibration file', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const result = (target: string, sustainedRps: number): CalibrationResult => ({
    target, sustainedRps, objectives: { p99Ms: 2000, errorRate: 0.01 }, stepSec: 15, measuredAt: new Date(0).toISOString(), trials: [],
  });

  it('when two targets are calibrated, then each keeps its own rate, looked up by origin', async () => {
    dir = await mkdtemp(join(tmpdir(), 'floodgate-calibration-'));
    await saveCalibration(dir, result('http://127.0.0.1:8080', 120));
    await saveCalibration(dir, result('http://127.0.0.1:9090/', 40));
    expect((await loadCalibration(dir, 'http://127.0.0.1:8080/v1'))?.sustainedRps).toBe(120);
    expect((await loadCalibration(dir, 'http://127.0.0.1:9090'))?.sustainedRps).toBe(40);
    expect(await loadCalibration(dir, 'http://127.0.0.1:7070')).toBeUndefined();
  });

  it('when the file is corrupt or the rate is 0, then the target counts as not calibrated', async () => {
    dir = await mkdtemp(join(tmpdir(), 'floodgate-calibration-'));
    await writeFile(calibrationFile(dir), '{ not json');
    expect(await loadCalibration(dir, 'http://127.0.0.1:8080')).toBeUndefined();
    await saveCalibration(dir, result('http://127.0.0.1:8080', 0));
    expect(await loadCalibration(dir, 'http://127.0.0.1:8080')).toBeUndefined();
  });
});

describe('judging a calibration trial', () => {
  const run = (refused: number) =>
    ({
      checks: [],
      steps: [
        { step: 'product', count: 1_000, refused, errors: 0, p99: 20 },
        { step: 'checkout', count: 100, refused: 0, errors: 0, p99: 80 },
        { step: 'total', count: 1_100, refused, errors: 0, p99: 80 },
      ],
    }) as unknown as LoadTestResult;

  it('when the shop sheds more than 1 % of the answers, then the trial is a miss even though every p99 held', () => {
    expect(judgeTrial(100, run(5))).toMatchObject({ passed: true, misses: [] });
    const shed = judgeTrial(200, run(300));
    expect(shed.passed).toBe(false);
    expect(shed.misses).toEqual(['refused (429/503): 27.3 % of 1100 answers > 1.0 %']);
  });
});
