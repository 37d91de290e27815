import type { Metrics } from '../telemetry/metrics.js';
import { DEGRADATION_MODES, type DegradationRegistry } from './degradation.js';

/**
 * `floodgate_degradation_active{switch}` (1 while the fallback is in use) and
 * `floodgate_degradation_mode{switch, mode}` (1 for the switch's setting), read at scrape time.
 */
export function registerDegradationMetrics(metrics: Metrics, registry: DegradationRegistry): void {
  metrics.gauge('floodgate_degradation_active', 'Degradation switches: 1 while the fallback is in use in this process', ['switch'], function collect() {
    for (const s of registry.list()) this.set({ switch: s.name }, s.degraded ? 1 : 0);
  });
  metrics.gauge('floodgate_degradation_mode', "Degradation switches' setting: 1 for the current mode (auto, on, off)", ['switch', 'mode'], function collect() {
    for (const s of registry.list()) for (const mode of DEGRADATION_MODES) this.set({ switch: s.name, mode }, s.mode === mode ? 1 : 0);
  });
}

/** `/readyz` detail: each switch's mode and whether it is degraded now */
export const degradationDetail = (registry: DegradationRegistry) =>
  Object.fromEntries(registry.list().map((s) => [s.name, { mode: s.mode, degraded: s.degraded }]));
