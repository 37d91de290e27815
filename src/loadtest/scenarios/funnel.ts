import { defineScenario } from '../scenario.js';
import { purchase, PURCHASE_STEPS } from './purchase.js';
import { BROWSE_STEPS, search, viewList, viewProduct } from './shop-catalog.js';
import { buyingChecks, setupBuying } from './shop-buying.js';

/**
 * Each arrival is a visitor: lands on a listing or a search, views a few products, and only some put
 * something in a cart (guest or registered) and fewer still check out, some with a declined card.
 * Defaults: 30 % carts, 40 % of carts check out (12 % of visitors buy), 10 % of payments declined.
 */
export const funnelScenario = defineScenario({
  name: 'funnel',
  description: 'browse → guest or register → cart → checkout, with think time; follows every order to a final status',
  steps: [...BROWSE_STEPS, ...PURCHASE_STEPS],
  defaults: { rps: 5, durationSec: 60, thinkTimeMs: 1000 },
  phases: (o) => [{ name: 'steady', durationSec: o.durationSec ?? 60, fromRate: o.rps ?? 5, toRate: o.rps ?? 5 }],
  setup: setupBuying,
  flow: async (vu, state) => {
    const o = vu.options;
    await (vu.random() < 0.6 ? viewList(vu, state.catalog) : search(vu, state.catalog));
    const views = 1 + Math.floor(vu.random() * 3);
    for (let i = 0; i < views; i++) {
      await vu.think();
      await viewProduct(vu, state.catalog);
    }
    if (vu.random() >= (o.cartRatio ?? 0.3)) return;
    await purchase(vu, state.hotVariants, state.ledger, {
      register: vu.random() < (o.registerRatio ?? 0.3),
      checkout: vu.random() < (o.checkoutRatio ?? 0.4),
      decline: vu.random() < (o.declineRatio ?? 0.1),
    });
  },
  checks: buyingChecks,
});
