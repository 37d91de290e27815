import type { AnyScenario } from '../scenario.js';
import { browseScenario } from './browse.js';
import { flashSaleScenario } from './flash-sale.js';
import { funnelScenario } from './funnel.js';
import { spikeScenario } from './spike.js';

/** the scenarios `floodgate loadtest <scenario>` knows; a new one is one more entry */
export const scenarios: Record<string, AnyScenario> = {
  browse: browseScenario,
  funnel: funnelScenario,
  spike: spikeScenario,
  flash: flashSaleScenario,
};
