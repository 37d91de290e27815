import { describe, expect, it } from 'vitest';
import { createAdmissionController, type Admission } from './admission-controller.js';
import { CRITICALITIES, type Criticality } from './criticality.js';

const calm = { eventLoopDelayMs: 1, eventLoopUtilization: 0.2 };
const delayed = (ms: number) => ({ eventLoopDelayMs: ms, eventLoopUtilization: 0.9 });
const make = (concurrency = { initial: 100, min: 10, max: 400 }) => createAdmissionController({ eventLoopDelayMs: 100, concurrency });

/** which classes a fresh request of each class would be admitted in, releasing what was admitted */
function admittedClasses(controller: ReturnType<typeof make>): Criticality[] {
  return CRITICALITIES.filter((c) => {
    const admission = controller.admit(c);
    if (admission.admitted) admission.release();
    return admission.admitted;
  });
}

/** admits `n` requests of a class and keeps them in flight */
const hold = (controller: ReturnType<typeof make>, c: Criticality, n: number) =>
  Array.from({ length: n }, () => controller.admit(c)).filter((a): a is Extract<Admission, { admitted: true }> => a.admitted);

describe('admission controller', () => {
  it('when the event loop is calm, then every class is admitted', () => {
    const controller = make();
    controller.tick(calm);
    expect(admittedClasses(controller)).toEqual(['low', 'normal', 'high', 'critical']);
  });

  it('when the event-loop delay rises step by step, then low is shed first, then normal, then high, and critical never', () => {
    const controller = make();
    // two equal samples in a row: the smoothed delay is then 3/4 of the sample
    const settle = (ms: number) => {
      for (let i = 0; i < 8; i += 1) controller.tick(delayed(ms));
    };
    settle(120);
    expect(admittedClasses(controller)).toEqual(['normal', 'high', 'critical']);
    settle(250);
    expect(admittedClasses(controller)).toEqual(['high', 'critical']);
    settle(500);
    expect(admittedClasses(controller)).toEqual(['critical']);
    settle(60_000);
    expect(admittedClasses(controller)).toEqual(['critical']);
  });

  it('when one sample is slow (a GC pause), then nothing is shed: it takes more than one', () => {
    const controller = make();
    controller.tick(calm);
    controller.tick(delayed(150));
    expect(admittedClasses(controller)).toEqual(['low', 'normal', 'high', 'critical']);
    controller.tick(delayed(150));
    expect(admittedClasses(controller)).toEqual(['normal', 'high', 'critical']);
  });

  it('when requests fill the in-flight limit, then each class is refused at its share: low at half, critical only at half again past the limit', () => {
    const controller = make({ initial: 20, min: 10, max: 400 });
    const held = hold(controller, 'critical', 10);
    expect(admittedClasses(controller)).toEqual(['normal', 'high', 'critical']);
    held.push(...hold(controller, 'critical', 5));
    expect(admittedClasses(controller)).toEqual(['high', 'critical']);
    held.push(...hold(controller, 'critical', 3));
    expect(admittedClasses(controller)).toEqual(['critical']);
    held.push(...hold(controller, 'critical', 2));
    expect(admittedClasses(controller)).toEqual(['critical']);
    held.push(...hold(controller, 'critical', 10));
    expect(admittedClasses(controller)).toEqual([]);
    const refused = controller.admit('low');
    expect(refused).toEqual({ admitted: false, reason: 'concurrency', retryAfterSeconds: 5 });
    for (const a of held) a.release();
    expect(controller.state().inFlight).toBe(0);
  });

  it('when a request is released twice, then it is counted once', () => {
    const controller = make();
    const a = hold(controller, 'normal', 2);
    a[0]!.release();
    a[0]!.release();
    expect(controller.state().inFlight).toBe(1);
  });

  it('when the loop is congested with many requests in flight, then the limit drops below them; when it calms and demand returns, the limit grows back', () => {
    const controller = make({ initial: 400, min: 10, max: 400 });
    const held = hold(controller, 'critical', 100);
    controller.tick(delayed(300));
    controller.tick(delayed(300));
    const shrunk = controller.state().limit;
    expect(shrunk).toBeLessThan(100);
    // with half again the shrunk limit in flight, even critical waits for room
    held.push(...hold(controller, 'critical', Math.floor(shrunk * 1.5) - 100));
    expect(controller.admit('critical').admitted).toBe(false);
    for (const a of held) a.release();

    // recovery: the delay is gone, so no class is shed for it; demand at the limit makes it grow each sample
    for (let i = 0; i < 6; i += 1) controller.tick(calm);
    expect(controller.state().shedByDelay).toEqual([]);
    expect(admittedClasses(controller)).toEqual(['low', 'normal', 'high', 'critical']);
    for (let i = 0; i < 30; i += 1) {
      const burst = hold(controller, 'critical', controller.state().limit);
      controller.tick(calm);
      for (const a of burst) a.release();
    }
    expect(controller.state().limit).toBe(400);
  });

  it('when the loop is calm but demand stays below the limit, then the limit does not grow without evidence', () => {
    const controller = make({ initial: 50, min: 10, max: 400 });
    const held = hold(controller, 'normal', 5);
    for (let i = 0; i < 20; i += 1) controller.tick(calm);
    expect(controller.state().limit).toBe(50);
    for (const a of held) a.release();
  });

  it('when the loop is saturated (utilisation ~1) while its delay still looks fine, then nothing is shed but the limit does not grow', () => {
    const controller = make({ initial: 20, min: 10, max: 400 });
    const held = hold(controller, 'critical', 19);
    for (let i = 0; i < 5; i += 1) controller.tick({ eventLoopDelayMs: 5, eventLoopUtilization: 0.99 });
    expect(controller.state().limit).toBe(20);
    expect(controller.state().shedByDelay).toEqual([]);
    controller.tick(calm);
    expect(controller.state().limit).toBe(22);
    for (const a of held) a.release();
  });
});
