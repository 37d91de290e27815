import type { Phase } from '../phases.js';
import { defineScenario, type ScenarioOptions } from '../scenario.js';
import { purchase, PURCHASE_STEPS } from './purchase.js';
import { BROWSE_STEPS, browseOnce } from './shop-catalog.js';
import { buyingChecks, setupBuying } from './shop-buying.js';

/** baseline → ×multiplier within `ramp` → hold → back to baseline (1 s) → recovery at baseline */
export function spikePhases(o: ScenarioOptions): Phase[] {
  const base = o.baselineRps ?? 20;
  const peak = base * (o.multiplier ?? 20);
  return [
    { name: 'baseline', durationSec: o.durationSec ?? 30, fromRate: base, toRate: base },
    { name: 'ramp', durationSec: o.rampSec ?? 10, fromRate: base, toRate: peak },
    { name: 'hold', durationSec: o.holdSec ?? 60, fromRate: peak, toRate: peak },
    { name: 'drop', durationSec: 1, fromRate: peak, toRate: base },
    { name: 'recovery', durationSec: o.recoverySec ?? 180, fromRate: base, toRate: base },
  ].filter((p) => p.durationSec > 0);
}

/**
 * A traffic spike on the whole shop: most arrivals browse (one request each), a few buy as guests.
 * The buyers' orders are followed to a final status like in the funnel, so the spike also proves
 * that nothing acknowledged was lost while the shop was overloaded.
 */
export const spikeScenario = defineScenario({
  name: 'spike',
  description: 'baseline → 20× in 10 s → hold → recovery; browse mix with a few guest purchases',
  steps: [...BROWSE_STEPS, ...PURCHASE_STEPS],
  defaults: { baselineRps: 20, multiplier: 20, thinkTimeMs: 200 },
  phases: spikePhases,
  setup: setupBuying,
  flow: async (vu, state) => {
    const o = vu.options;
    if (vu.random() >= (o.buyRatio ?? 0.02)) {
      await browseOnce(vu, state.catalog);
      return;
    }
    await purchase(vu, state.hotVariants, state.ledger, {
      register: vu.random() < (o.registerRatio ?? 0),
      checkout: vu.random() < (o.checkoutRatio ?? 0.8),
      decline: vu.random() < (o.declineRatio ?? 0.05),
    });
  },
  checks: buyingChecks,
});
