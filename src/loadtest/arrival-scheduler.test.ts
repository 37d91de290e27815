import { afterEach, describe, expect, it } from 'vitest';
import { ArrivalScheduler } from './arrival-scheduler.js';
import { constantRateScenario, startLocalTestServer, type LocalTestServer } from './local-test-server.js';
import { arrivalTime, expectedArrivals, rateAt, totalDuration, type Phase } from './phases.js';
import { runLoadTest } from './run-load-test.js';
import { spikePhases } from './scenarios/spike.js';

let server: LocalTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('open-model arrivals', () => {
  it('when the server takes 1.5 s per answer, then requests still start at the target rate', async () => {
    server = await startLocalTestServer({ delayMs: 1500 });
    const s = server;
    let receivedWhenScheduleEnded = -1;
    const run = runLoadTest({ scenario: constantRateScenario(40, 2), target: s.url, outDir: false, progress: false });
    // the schedule lasts 2 s; a closed model with the answers taking 1.5 s could not start 80 requests by then
    setTimeout(() => (receivedWhenScheduleEnded = s.received), 2_200);
    const result = await run;

    expect(receivedWhenScheduleEnded).toBeGreaterThanOrEqual(64);
    expect(receivedWhenScheduleEnded).toBeLessThanOrEqual(96);
    expect(result.arrivals.started).toBe(80);
    expect(result.arrivals.dropped).toBe(0);
    expect(result.steps.find((r) => r.step === 'ping')?.count).toBe(80);
    expect(result.steps.find((r) => r.step === 'ping')?.p50).toBeGreaterThanOrEqual(1400);
    expect(Math.max(...result.windows.map((w) => w.inFlight))).toBeGreaterThanOrEqual(40);
  });

  it('when the clock passes the end of the schedule between two reads, then the last arrival still starts', async () => {
    // every read of this clock moves it on by 0.9999 s: the first tick sees 0.9999 s (9 of 10 due), the next read is
    // past the 1 s schedule. A tick that read the clock twice ended the schedule there with one arrival never started.
    let reads = 0;
    const started: number[] = [];
    const scheduler = new ArrivalScheduler({
      phases: [{ name: 'flat', durationSec: 1, fromRate: 10, toRate: 10 }],
      maxInFlight: 100,
      startArrival: async (n) => void started.push(n),
      tickMs: 0,
      now: () => reads++ * 999.9,
    });
    scheduler.start();
    await scheduler.finished;

    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('when the in-flight cap is reached, then later arrivals are dropped and counted, not queued', async () => {
    server = await startLocalTestServer({ delayMs: 2000 });
    const result = await runLoadTest({ scenario: constantRateScenario(20, 1), target: server.url, maxInFlight: 5, outDir: false, progress: false });

    expect(server.received).toBe(5);
    expect(result.arrivals).toMatchObject({ scheduled: 20, started: 5, dropped: 15 });
    expect(result.checks.find((c) => c.name === 'generator kept the arrival schedule')?.status).toBe('warning');
  });

  it('when the server answers 503 and 500 for some requests, then 503 counts as refused (shed) and 500 as an error, each by status', async () => {
    server = await startLocalTestServer({ delayMs: 5, status: (n) => (n % 4 === 0 ? 503 : n % 10 === 1 ? 500 : 200) });
    const result = await runLoadTest({ scenario: constantRateScenario(40, 1), target: server.url, outDir: false, progress: false });
    const ping = result.steps.find((r) => r.step === 'ping')!;

    expect(ping.count).toBe(40);
    expect(ping.refusedByStatus).toEqual({ '503': 10 });
    expect(ping.errorsByStatus).toEqual({ '500': 4 });
    expect(ping.statuses).toEqual({ '200': 26, '500': 4, '503': 10 });
    expect(result.windows.reduce((sum, w) => sum + w.errors5xx, 0)).toBe(4);
    expect(result.windows.reduce((sum, w) => sum + w.shed, 0)).toBe(10);
  });
});

describe('rate profile math', () => {
  const phases: Phase[] = [
    { name: 'flat', durationSec: 10, fromRate: 10, toRate: 10 },
    { name: 'ramp', durationSec: 10, fromRate: 10, toRate: 110 },
  ];

  it('when integrating a flat phase and a linear ramp, then the due arrivals are their areas', () => {
    expect(expectedArrivals(phases, 5)).toBeCloseTo(50);
    expect(expectedArrivals(phases, 10)).toBeCloseTo(100);
    expect(expectedArrivals(phases, 20)).toBeCloseTo(100 + 600);
    expect(expectedArrivals(phases, 99)).toBeCloseTo(700);
    expect(rateAt(phases, 15)).toBeCloseTo(60);
    expect(rateAt(phases, 25)).toBe(0);
  });

  it('when asking when the n-th arrival is due, then it inverts the integral', () => {
    for (const n of [1, 50, 100, 101, 350, 700]) {
      expect(expectedArrivals(phases, arrivalTime(phases, n))).toBeCloseTo(n, 6);
    }
    expect(arrivalTime(phases, 701)).toBe(Number.POSITIVE_INFINITY);
  });

  it('when building the default spike, then it is baseline, 20× within 10 s, hold and 3 min recovery', () => {
    const spike = spikePhases({});
    expect(spike.map((p) => p.name)).toEqual(['baseline', 'ramp', 'hold', 'drop', 'recovery']);
    expect(spike[1]).toMatchObject({ durationSec: 10, fromRate: 20, toRate: 400 });
    expect(spike.at(-1)).toMatchObject({ durationSec: 180, fromRate: 20, toRate: 20 });
    const short = spikePhases({ baselineRps: 5, multiplier: 4, durationSec: 1, rampSec: 1, holdSec: 1, recoverySec: 1 });
    expect(totalDuration(short)).toBe(5);
  });
});
