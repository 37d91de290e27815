import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCalibration } from './calibrate.js';
import { runCalibration } from './run-calibration.js';
import { runLoadTest } from './run-load-test.js';
import { LENIENT_OBJECTIVES, useLoadTestShop } from './loadtest-shop.test-support.js';

const admin = { email: 'loadtest-admin@example.com', password: 'loadtest-admin-password' };

describe('scenarios against the all-in-one shop', () => {
  const shop = useLoadTestShop({ name: 'loadtest', products: 60, admin });

  it('when every visitor buys, then each acknowledged order reaches a final status and nothing is oversold', async () => {
    const result = await runLoadTest({
      objectives: LENIENT_OBJECTIVES,
      scenario: 'funnel',
      target: shop().url,
      // the same 12 visitors, arriving over 1 s instead of 3
      rps: 12,
      durationSec: 1,
      thinkTimeMs: 0,
      cartRatio: 1,
      checkoutRatio: 1,
      registerRatio: 0.25,
      declineRatio: 0.3,
      hotVariants: 3,
      admin,
      seed: 7,
      outDir: false,
      progress: false,
    });
    const check = (name: string) => result.checks.find((c) => c.name === name);

    expect(result.steps.find((s) => s.step === 'checkout')?.count).toBe(12);
    expect(check('lost orders = 0')).toMatchObject({ status: 'passed' });
    expect(check('no oversell')).toMatchObject({ status: 'passed' });
    expect(check('declined payments never paid')?.status).toBe('passed');
    expect(check('cart subtotal = sum of line totals')).toMatchObject({ status: 'passed' });
    expect(result.steps.at(-1)?.errors).toBe(0);
    expect(result.passed).toBe(true);
  }, 120_000);

  it('when a scaled-down spike runs without admin credentials, then it finishes, reports every phase and still checks oversell against the stock on the product pages', async () => {
    const result = await runLoadTest({
      objectives: LENIENT_OBJECTIVES,
      scenario: 'spike',
      target: shop().url,
      baselineRps: 5,
      multiplier: 4,
      durationSec: 1,
      rampSec: 1,
      holdSec: 1,
      recoverySec: 1,
      buyRatio: 0.2,
      thinkTimeMs: 0,
      seed: 11,
      outDir: false,
      progress: false,
    });

    expect(result.phases.map((p) => p.name)).toEqual(['baseline', 'ramp', 'hold', 'drop', 'recovery']);
    expect(result.arrivals.started).toBe(result.arrivals.scheduled);
    expect(result.checks.find((c) => c.name === 'no oversell')).toMatchObject({ status: 'passed', detail: expect.stringContaining('product pages') });
    expect(result.checks.find((c) => c.name === 'lost orders = 0')?.status).not.toBe('failed');
    expect(result.passed).toBe(true);
  }, 120_000);

  it('when the shop is calibrated with a low cap, then every trial runs the spike mix for real and the best rate that held is saved for the spike to size itself', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'floodgate-calibrate-'));
    try {
      const { result, file } = await runCalibration({
        objectives: LENIENT_OBJECTIVES,
        target: shop().url,
        startRps: 3,
        maxRps: 6,
        // each trial still runs the spike mix for real (3 and 6 arrivals), for 1 s instead of 2
        stepSec: 1,
        buyRatio: 0.2,
        thinkTimeMs: 0,
        seed: 5,
        outDir,
        progress: false,
      });
      // whether a trial holds depends on how busy this machine is (the search itself: calibrate.test.ts); what
      // must hold is that each trial measured real answers and the saved rate is the best trial that held
      const rates = result.trials.map((t) => t.rps);
      expect(rates[0]).toBe(3);
      // 3 held → 6 is tried; 6 missed → the search bisects strictly between the two (calibrate.test.ts has the search)
      if (!result.trials[0]?.passed) expect(rates).toEqual([3]);
      else {
        expect(rates[1]).toBe(6);
        if (result.trials[1]?.passed) expect(rates).toEqual([3, 6]);
        else expect(rates.slice(2).every((r) => r > 3 && r < 6), JSON.stringify(rates)).toBe(true);
      }
      expect(result.trials.every((t) => t.worstP99Ms > 0 && (t.passed || t.misses.length > 0)), JSON.stringify(result.trials)).toBe(true);
      expect(result.sustainedRps).toBe(Math.max(0, ...result.trials.filter((t) => t.passed).map((t) => t.rps)));
      expect(file).toBe(join(outDir, 'calibration.json'));
      expect((await loadCalibration(outDir, shop().url))?.sustainedRps).toBe(result.sustainedRps || undefined);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});
