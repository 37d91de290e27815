import { describe, expect, it } from 'vitest';
import { createAdmissionController } from './admission-controller.js';
import { createDegradationRegistry } from './degradation.js';

const rig = () => {
  let t = 0;
  const registry = createDegradationRegistry({ holdMs: 10_000, now: () => t });
  const controller = createAdmissionController({ eventLoopDelayMs: 100, concurrency: { initial: 100, min: 10, max: 400 }, onSample: (s) => registry.observe(s) });
  return { registry, controller, move: (ms: number) => (t += ms) };
};
const degraded = (registry: ReturnType<typeof createDegradationRegistry>) => registry.list().filter((s) => s.degraded).map((s) => s.name);
const delayed = (ms: number) => ({ eventLoopDelayMs: ms, eventLoopUtilization: 0.9 });
const calm = { eventLoopDelayMs: 1, eventLoopUtilization: 0.2 };

describe('degradation switches', () => {
  it('when the controller starts shedding low, then search degrades; when it sheds normal too, then stock counts degrade as well', () => {
    const { registry, controller } = rig();
    controller.tick(calm);
    expect(degraded(registry)).toEqual([]);
    for (let i = 0; i < 6; i += 1) controller.tick(delayed(150));
    expect(degraded(registry)).toEqual(['search']);
    for (let i = 0; i < 6; i += 1) controller.tick(delayed(300));
    expect(degraded(registry)).toEqual(['search', 'stock-counts']);
  });

  it('when requests fill the share of the limit low may use, then search degrades without any event-loop delay', () => {
    const { registry, controller } = rig();
    const held = Array.from({ length: 50 }, () => controller.admit('critical'));
    controller.tick(calm);
    expect(registry.isDegraded('search')).toBe(true);
    expect(registry.isDegraded('stock-counts')).toBe(false);
    for (const a of held) if (a.admitted) a.release();
  });

  it('when the pressure ends, then the switches stay degraded for the hold time and then come back', () => {
    const { registry, controller, move } = rig();
    for (let i = 0; i < 6; i += 1) controller.tick(delayed(300));
    for (let i = 0; i < 10; i += 1) controller.tick(calm);
    move(9_000);
    expect(degraded(registry)).toEqual(['search', 'stock-counts']);
    move(1_001);
    expect(degraded(registry)).toEqual([]);
  });

  it('when an admin sets a switch on or off, then that wins over the pressure; auto follows it again', () => {
    const { registry, controller } = rig();
    registry.setMode('stock-counts', 'on');
    registry.setMode('search', 'off');
    for (let i = 0; i < 6; i += 1) controller.tick(delayed(150));
    expect(degraded(registry)).toEqual(['stock-counts']);
    expect(registry.list().find((s) => s.name === 'search')).toMatchObject({ mode: 'off', degraded: false, pressure: true });
    registry.setMode('search', 'auto');
    expect(registry.isDegraded('search')).toBe(true);
  });
});
