import { defineScenario } from '../scenario.js';
import { BROWSE_STEPS, browseOnce, discoverCatalog } from './shop-catalog.js';

/** Read traffic only: each arrival is one request from the storefront mix (product, list, search, menu). */
export const browseScenario = defineScenario({
  name: 'browse',
  description: 'catalog reads: product pages, category listings, searches',
  steps: BROWSE_STEPS,
  defaults: { rps: 50, durationSec: 30, thinkTimeMs: 0 },
  phases: (o) => [{ name: 'steady', durationSec: o.durationSec ?? 30, fromRate: o.rps ?? 50, toRate: o.rps ?? 50 }],
  setup: (ctx) => discoverCatalog(ctx),
  flow: async (vu, catalog) => {
    await browseOnce(vu, catalog);
  },
  checks: async () => [],
});
