// What sealing personal data costs: register and login through the customers module (argon2
// included, as a customer pays it), then the store calls alone (where the envelope's AES-GCM and
// HMAC are the only difference), then placing and reading orders at the store.
//   node --import tsx bench/personal-data.ts [--n 40] [--store-n 1000] [--root <another checkout>]
// --root measures another checkout (e.g. the release before encryption) with the same script.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exitWithHelpWhenAsked } from './support/bench-report.js';

exitWithHelpWhenAsked();
const { values } = parseArgs({ options: { n: { type: 'string', default: '40' }, 'store-n': { type: 'string', default: '1000' }, root: { type: 'string' } } });
const n = Number(values.n);
const storeN = Number(values['store-n']);
const root = resolve(values.root ?? '.');
const load = (path: string) => import(`${root}/src/${path}`);

const { createPgliteDatabase } = await load('platform/db/database.ts');
const { migrateAll } = await load('platform/db/migrate.ts');
const { createEnvelope } = await load('platform/crypto/envelope.ts');
const { createCustomersService } = await load('services/customers/index.ts');
const { createSqlCustomerStore } = await load('services/customers/storage/sql-customer-store.ts');
const { createHttpApp } = await load('platform/http/create-http-app.ts');
const { createMetrics } = await load('platform/telemetry/metrics.ts');
const { createLogger } = await load('platform/telemetry/logger.ts');
const { createInProcessEventBus } = await load('platform/bus/in-process-event-bus.ts');
// the audit log exists from this release on; older checkouts run without one
const audit = await load('platform/audit/sql-audit-log.ts').catch(() => undefined);
const auditMigrations = await load('platform/audit/audit-migrations.ts').catch(() => undefined);

const key = randomBytes(32);
const envelope = createEnvelope({ current: { id: 'bench', key }, previous: [] });
const logger = createLogger({ service: 'bench', level: 'silent', pretty: false });
const metrics = createMetrics('bench');
const db = await createPgliteDatabase(undefined);
const auditLog = audit ? audit.createSqlAuditLog(db, { logger }) : undefined;
if (auditMigrations) await migrateAll(db, [auditMigrations.auditMigrations]);
const customers = createCustomersService({ db, bus: createInProcessEventBus(), logger, metrics, envelope, audit: auditLog });
await migrateAll(db, [customers.migrations]);
const app = await createHttpApp({ logger, metrics, authenticate: customers.client.authenticate, modules: [customers], readinessChecks: {} });

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
async function timed(label: string, count: number, op: (i: number) => Promise<unknown>) {
  for (let i = 0; i < Math.min(5, count); i++) await op(-1 - i); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await op(i);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  console.log(`${label.padEnd(34)} n=${String(count).padEnd(5)} mean ${mean.toFixed(3)} ms  p50 ${percentile(ms, 50).toFixed(3)}  p95 ${percentile(ms, 95).toFixed(3)}`);
}

const run = `${Date.now().toString(36)}`;
const email = (i: number) => `bench-${run}-${i}@example.com`;
await timed('POST /v1/auth/register', n, async (i) => {
  const res = await app.inject({ method: 'POST', url: '/v1/auth/register', payload: { email: email(i), password: 'bench password 1', name: 'Bench User' } });
  if (res.statusCode !== 201) throw new Error(`register ${res.statusCode}`);
});
await timed('POST /v1/auth/login', n, async (i) => {
  const res = await app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: email(Math.max(i, 0)), password: 'bench password 1' } });
  if (res.statusCode !== 200) throw new Error(`login ${res.statusCode}`);
});

const store = createSqlCustomerStore(db, envelope);
const { uuidv7 } = await import(`${root}/node_modules/uuidv7/dist/index.js`);
await timed('store.insertAccount', storeN, (i) =>
  store.insertAccount({ id: uuidv7(), email: `s-${run}-${i}@example.com`, name: 'Store Bench', role: 'customer', passwordHash: '$argon2id$x', createdAt: new Date() }));
await timed('store.findAccountByEmail', storeN, (i) => store.findAccountByEmail(`s-${run}-${Math.max(i, 0)}@example.com`));
await timed('envelope.seal (one value)', storeN * 10, async () => envelope.seal('ada@example.com', 'customers.accounts.email:x'));
const sealed = envelope.seal('ada@example.com', 'customers.accounts.email:x');
await timed('envelope.open (one value)', storeN * 10, async () => envelope.open(sealed, 'customers.accounts.email:x'));
await timed('envelope.blindIndex', storeN * 10, async () => envelope.blindIndex('ada@example.com', 'customers.accounts.email'));

await app.close();
await db.close();
