import { describe, expect, it } from 'vitest';
import { createAdmissionController, type AdmissionController } from './admission-controller.js';
import { CRITICALITIES, type Criticality } from './criticality.js';

const TARGETS = { low: 100, normal: 100, high: 150, critical: 250 };
const calmLoop = { eventLoopDelayMs: 1, eventLoopUtilization: 0.5 };

/** a controller on a fake clock, ticked every 250 ms like the real timer, with the latency signal on */
function rig({ intervalMs = 500, recoveryMs = 1_000 } = {}) {
  let t = 0;
  const controller = createAdmissionController({
    eventLoopDelayMs: 100,
    // a limit nothing here reaches: only the latency signal sheds
    concurrency: { initial: 10_000, min: 10, max: 10_000 },
    latency: { targetMs: TARGETS, intervalMs, recoveryMs },
    now: () => t,
  });
  /**
   * one 250 ms sample during which `perClass` requests of each given class are admitted at once and answered
   * after `latencyMs` (requests of a class the controller sheds are refused, as they would be)
   */
  const sample = (latencyMs: number, classes: readonly Criticality[] = CRITICALITIES, perClass = 4) => {
    const admitted = classes.flatMap((c) => Array.from({ length: perClass }, () => controller.admit(c))).filter((a) => a.admitted);
    t += latencyMs;
    for (const a of admitted) a.release();
    // a sample is 250 ms, or as long as its slowest request
    t += Math.max(0, 250 - latencyMs);
    controller.tick(calmLoop);
  };
  return { controller, sample, elapsed: () => t };
}

function admittedClasses(controller: AdmissionController): Criticality[] {
  return CRITICALITIES.filter((c) => {
    const a = controller.admit(c);
    if (a.admitted) a.release();
    return a.admitted;
  });
}

describe('latency signal of the admission controller', () => {
  it('when requests answer within their targets, then nothing is shed', () => {
    const { controller, sample } = rig();
    for (let i = 0; i < 20; i += 1) sample(20);
    expect(controller.state().shedByLatency).toEqual([]);
    expect(admittedClasses(controller)).toEqual(['low', 'normal', 'high', 'critical']);
  });

  it('when every request waits past its target, then low is shed first, then normal, then high, each step waiting longer, and critical never', () => {
    const { controller, sample, elapsed } = rig({ intervalMs: 500 });
    const reached: Array<{ atMs: number; shed: Criticality[] }> = [];
    // every class waits 200 ms (over the low, normal and high targets); what is shed is read from the state,
    // since a probe request answered at once would be a fast answer in the interval
    for (let i = 0; i < 12; i += 1) {
      sample(200);
      const shed = controller.state().shedByLatency;
      if (shed.length > (reached.at(-1)?.shed.length ?? 0)) reached.push({ atMs: elapsed(), shed });
    }
    // low after one late interval, normal two intervals later, high three intervals after that
    expect(reached).toEqual([
      { atMs: 500, shed: ['low'] },
      { atMs: 1_500, shed: ['low', 'normal'] },
      { atMs: 3_000, shed: ['low', 'normal', 'high'] },
    ]);
    expect(admittedClasses(controller)).toEqual(['critical']);
    const refused = controller.admit('low');
    expect(refused).toEqual({ admitted: false, reason: 'latency', retryAfterSeconds: 5 });
    // checkout waits even longer: still admitted
    for (let i = 0; i < 8; i += 1) sample(2_000, ['critical']);
    expect(admittedClasses(controller)).toEqual(['critical']);
  });

  it('when a lone request is slow on a quiet process (fewer than 4 in flight), then nothing is shed: that is no queue', () => {
    const { controller, sample } = rig();
    for (let i = 0; i < 8; i += 1) sample(200, ['low', 'critical'], 1);
    expect(controller.state().shedByLatency).toEqual([]);
    for (let i = 0; i < 2; i += 1) sample(200, ['low', 'critical'], 2);
    expect(controller.state().shedByLatency).toEqual(['low']);
  });

  it('when only checkout waits past its target (browsing is served from cache in microseconds), then browsing is shed for it', () => {
    const { controller, sample } = rig();
    for (let i = 0; i < 2; i += 1) {
      for (const c of ['low', 'normal', 'high'] as const) {
        const a = controller.admit(c);
        if (a.admitted) a.release();
      }
      sample(400, ['critical']);
    }
    expect(controller.state().lateClasses).toEqual(['critical']);
    expect(controller.state().shedByLatency).toEqual(['low']);
  });

  it('when one request is slow but others of its class are fast in the same interval, then nothing is shed: only a standing queue counts', () => {
    const { controller, sample } = rig();
    for (let i = 0; i < 8; i += 1) {
      const slow = controller.admit('normal');
      sample(10);
      if (slow.admitted) slow.release(); // answered after 250 ms
    }
    expect(controller.state().shedByLatency).toEqual([]);
  });

  it('when the load drops, then the shed classes come back one per recovery period, highest first, with nothing left shed within 3 periods', () => {
    const { controller, sample, elapsed } = rig({ intervalMs: 500, recoveryMs: 1_000 });
    for (let i = 0; i < 12; i += 1) sample(300);
    expect(controller.state().shedByLatency).toEqual(['low', 'normal', 'high']);
    const dropAt = elapsed();
    const steps: Array<{ afterMs: number; shed: Criticality[] }> = [];
    let last = controller.state().shedByLatency.join();
    // the load is gone: only the classes still admitted send requests, and they answer fast
    while (controller.state().shedByLatency.length > 0 && elapsed() - dropAt < 10_000) {
      sample(5, admittedClasses(controller));
      const now = controller.state().shedByLatency;
      if (now.join() !== last) steps.push({ afterMs: elapsed() - dropAt, shed: now });
      last = now.join();
    }
    expect(steps.map((s) => s.shed)).toEqual([['low', 'normal'], ['low'], []]);
    expect(steps.at(-1)!.afterMs).toBeLessThanOrEqual(3 * 1_000 + 500);
    expect(admittedClasses(controller)).toEqual(['low', 'normal', 'high', 'critical']);
  });

  it('when no request arrives at all after an overload, then shedding does not stick', () => {
    const { controller, sample } = rig();
    for (let i = 0; i < 12; i += 1) sample(300);
    expect(controller.state().shedByLatency.length).toBe(3);
    for (let i = 0; i < 16; i += 1) sample(0, []);
    expect(controller.state().shedByLatency).toEqual([]);
  });

  it('when the load comes back after recovery, then the classes are shed again', () => {
    const { controller, sample } = rig();
    for (let i = 0; i < 12; i += 1) sample(300);
    for (let i = 0; i < 16; i += 1) sample(0, []);
    expect(controller.state().shedByLatency).toEqual([]);
    for (let i = 0; i < 2; i += 1) sample(300);
    expect(controller.state().shedByLatency).toEqual(['low']);
  });

  it('when a request was admitted before its class was shed, then it finishes and is counted, never refused afterwards', () => {
    const { controller, sample } = rig();
    const writing = controller.admit('low');
    expect(writing.admitted).toBe(true);
    for (let i = 0; i < 12; i += 1) sample(300);
    expect(controller.admit('low').admitted).toBe(false);
    expect(controller.state().inFlight).toBe(1);
    if (writing.admitted) writing.release();
    expect(controller.state().inFlight).toBe(0);
  });

  it('when the latency signal is not configured, then slow answers shed nothing by themselves', () => {
    let t = 0;
    const controller = createAdmissionController({ eventLoopDelayMs: 100, concurrency: { initial: 10_000, min: 10, max: 10_000 }, now: () => t });
    for (let i = 0; i < 8; i += 1) {
      const a = CRITICALITIES.map((c) => controller.admit(c));
      t += 1_000;
      for (const x of a) if (x.admitted) x.release();
      controller.tick(calmLoop);
    }
    expect(controller.state().shedByLatency).toEqual([]);
    expect(admittedClasses(controller)).toEqual(['low', 'normal', 'high', 'critical']);
  });
});
