import type { CheckResult, ScenarioContext } from '../scenario.js';
import {
  adminToken,
  cartArithmeticCheck,
  declinedNeverPaidCheck,
  lostOrdersCheck,
  oversellCheck,
  readPublicStock,
  readStock,
  settleOrders,
  soldUnits,
  type StockReading,
} from './order-checks.js';
import { createLedger, type PurchaseLedger } from './purchase.js';
import { discoverCatalog, type CatalogSample } from './shop-catalog.js';

/** the state shared by scenarios that buy: what to browse, what to buy, what stock looked like before */
export interface BuyingState {
  catalog: CatalogSample;
  hotVariants: string[];
  ledger: PurchaseLedger;
  stockBefore: Map<string, StockReading>;
  /** where the stock figures come from: the admin API, or the public product pages without credentials */
  stockSource: 'admin' | 'product pages';
}

export async function setupBuying(ctx: ScenarioContext): Promise<BuyingState> {
  const catalog = await discoverCatalog(ctx);
  const wanted = ctx.options.hotVariants ?? 10;
  const inStock = catalog.products.flatMap((p) => p.variants.filter((v) => v.available > 0).slice(0, 1));
  const candidates = inStock.length > 0 ? inStock : catalog.products.flatMap((p) => p.variants.slice(0, 1));
  const hotVariants = candidates.slice(0, wanted).map((v) => v.id);
  if (hotVariants.length === 0) throw new Error('No product on the target has a variant to buy.');
  const token = await adminToken(ctx);
  const stockBefore = token ? await readStock(ctx, token, hotVariants) : await readPublicStock(ctx, catalog.products, hotVariants);
  ctx.log(
    `catalog: ${catalog.products.length} products sampled, ${catalog.categoryIds.length} categories; buyers pick from ${hotVariants.length} variants; ` +
      (token ? 'stock read as admin' : 'no admin credentials: stock read from the product pages'),
  );
  return { catalog, hotVariants, ledger: createLedger(), stockBefore, stockSource: token ? 'admin' : 'product pages' };
}

export async function buyingChecks(ctx: ScenarioContext, state: BuyingState): Promise<CheckResult[]> {
  const timeoutMs = ctx.options.settleTimeoutMs ?? 60_000;
  if (state.ledger.placed.length > 0) ctx.log(`following ${state.ledger.placed.length} acknowledged orders to a final status…`);
  const settlement = await settleOrders(ctx, state.ledger.placed, timeoutMs);
  const token = state.stockSource === 'admin' ? await adminToken(ctx) : undefined;
  const stockAfter = token ? await readStock(ctx, token, state.hotVariants) : await readPublicStock(ctx, state.catalog.products, state.hotVariants);
  return [
    lostOrdersCheck(settlement, timeoutMs),
    declinedNeverPaidCheck(settlement),
    oversellCheck(state.stockBefore, stockAfter, soldUnits(settlement), state.stockSource),
    cartArithmeticCheck(state.ledger),
  ];
}
