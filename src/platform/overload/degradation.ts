import { CONCURRENCY_SHARE, type AdmissionState } from './admission-controller.js';
import type { Criticality } from './criticality.js';

/**
 * Graceful degradation: named switches that turn an expensive feature into a cheap fallback. Each is
 * `auto` (the default: degraded while the admission controller is shedding its trigger class, and for
 * `holdMs` after, so it does not flap), `on` (degraded, an admin's choice) or `off` (never degraded).
 */
export const DEGRADATION_SWITCHES = {
  /** product search (`GET /v1/products?q=`) answers the cached first page of the plain list instead of a full-text query */
  search: { trigger: 'low', fallback: 'full-text search answers the cached first page of the product list' },
  /** product answers say in stock (1) or out of stock (0) instead of the exact count, so pages stay identical (ETags hold) */
  'stock-counts': { trigger: 'normal', fallback: 'stock is shown as in stock (1) / out of stock (0) instead of counts' },
} as const satisfies Record<string, { trigger: Criticality; fallback: string }>;

export type DegradationSwitch = keyof typeof DEGRADATION_SWITCHES;
export const DEGRADATION_MODES = ['auto', 'on', 'off'] as const;
export type DegradationMode = (typeof DEGRADATION_MODES)[number];

export const isDegradationSwitch = (name: string): name is DegradationSwitch => Object.hasOwn(DEGRADATION_SWITCHES, name);

export interface SwitchView {
  name: DegradationSwitch;
  mode: DegradationMode;
  /** whether the fallback is in use right now */
  degraded: boolean;
  /** in auto mode: whether the controller's pressure alone degrades it now */
  pressure: boolean;
  fallback: string;
}

/** The check the features make: O(1), no I/O. */
export interface DegradationCheck {
  isDegraded(name: DegradationSwitch): boolean;
}

export interface DegradationRegistry extends DegradationCheck {
  /** an admin's setting, for this process; degradation-sync.ts carries it to the others */
  setMode(name: DegradationSwitch, mode: DegradationMode): void;
  mode(name: DegradationSwitch): DegradationMode;
  /** called with each sample of the admission controller: degrades the auto switches whose class it sheds */
  observe(state: AdmissionState): void;
  list(): SwitchView[];
}

/** whether the controller is refusing (or about to refuse) `c` now: shed for latency or delay, or its share of the limit full */
const shedding = (state: AdmissionState, c: Criticality) =>
  state.shedByLatency.includes(c) || state.shedByDelay.includes(c) || state.inFlight >= Math.floor(state.limit * CONCURRENCY_SHARE[c]);

export function createDegradationRegistry({ holdMs = 10_000, now = Date.now }: { holdMs?: number; now?: () => number } = {}): DegradationRegistry {
  const names = Object.keys(DEGRADATION_SWITCHES) as DegradationSwitch[];
  const modes = new Map<DegradationSwitch, DegradationMode>(names.map((n) => [n, 'auto']));
  // until when an auto switch stays degraded after the pressure that tripped it
  const pressureUntil = new Map<DegradationSwitch, number>(names.map((n) => [n, 0]));
  const underPressure = (name: DegradationSwitch) => now() < pressureUntil.get(name)!;
  const isDegraded = (name: DegradationSwitch) => {
    const mode = modes.get(name);
    return mode === 'on' || (mode === 'auto' && underPressure(name));
  };
  return {
    isDegraded,
    setMode: (name, mode) => void modes.set(name, mode),
    mode: (name) => modes.get(name)!,
    observe(state) {
      for (const name of names) if (shedding(state, DEGRADATION_SWITCHES[name].trigger)) pressureUntil.set(name, now() + holdMs);
    },
    list: () =>
      names.map((name) => ({ name, mode: modes.get(name)!, degraded: isDegraded(name), pressure: underPressure(name), fallback: DEGRADATION_SWITCHES[name].fallback })),
  };
}

/** A check that never degrades: for modules run without a registry (tests, tools). */
export const NEVER_DEGRADED: DegradationCheck = { isDegraded: () => false };
