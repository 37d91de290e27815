import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import type { RunningShop } from './all-in-one.js';
import { describeDatabase } from './open-database.js';
import { demoAdminFile } from './demo-admin-file.js';

/** compiled JavaScript (a build from `npm run build`) or the TypeScript sources run by tsx */
export function describeCode(): string {
  return import.meta.url.endsWith('.js') ? `compiled build in ${fileURLToPath(new URL('..', import.meta.url))}` : 'TypeScript sources through tsx (development; `npm run build` for production)';
}

/** What a newcomer needs on one screen: where things are and how to log in. */
export function printBanner({ shop, config, startedInMs }: { shop: RunningShop; config: Config; startedInMs: number }) {
  const u = shop.url;
  const lines = [
    '',
    `  Floodgate is up (all-in-one) in ${(startedInMs / 1000).toFixed(1)} s`,
    '',
    `  Shop API        ${u}/v1/products`,
    `  API docs        ${u}/docs            (OpenAPI: ${u}/v1/openapi.json)`,
    `  Operations      ${u}/ops             (metrics: ${u}/metrics, health: ${u}/healthz, ${u}/readyz)${config.opsToken ? ' behind FLOODGATE_OPS_TOKEN' : ''}`,
    `  Database        ${describeDatabase(config)}`,
    `  Events          ${config.amqp ? `RabbitMQ, exchange ${config.amqp.exchange}` : 'in-process bus'}`,
    `  Code            ${describeCode()}`,
    `  Payments        fake PSP at ${shop.pspUrl} (tok_visa, tok_declined, tok_slow, tok_flaky)`,
  ];
  if (shop.seed) {
    lines.push(`  Demo data       ${shop.seed.products} products, ${shop.seed.variants} variants in stock`);
    // the password stays in the 0600 file: a terminal's scrollback, a CI log or a screen share is no place for it
    if (shop.seed.flashSale) {
      lines.push(`  Flash sale      ${u}/sale/${shop.seed.flashSale.id}   (API: ${u}/v1/flash-sales/${shop.seed.flashSale.id})`);
    }
    if (shop.seed.admin) lines.push(`  Demo admin      ${shop.seed.admin.email} (password in ${demoAdminFile(config.dataDir)}, readable by you only)`);
  }
  if (config.admin) lines.push(`  Admin           ${config.admin.email} (from FLOODGATE_ADMIN_EMAIL)`);
  lines.push('', '  Try a purchase: see README.md "Try it"; Ctrl-C stops the shop.', '');
  process.stdout.write(lines.join('\n') + '\n');
}
