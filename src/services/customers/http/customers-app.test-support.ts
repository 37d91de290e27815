import { createTestAuditLog } from '../../../../test/support/audit.js';
import pino from 'pino';
import { createInProcessEventBus } from '../../../platform/bus/in-process-event-bus.js';
import type { Database } from '../../../platform/db/database.js';
import { createAuditModule } from '../../../platform/audit/audit-routes.js';
import { createHttpApp } from '../../../platform/http/create-http-app.js';
import type { HttpApp } from '../../../platform/service.js';
import { createMetrics } from '../../../platform/telemetry/metrics.js';
import { createCustomersService, customersMigrations, type CustomersService } from '../index.js';
import type { Envelope } from '../../../platform/crypto/envelope.js';
import { createTestEnvelope } from '../../../../test/support/envelope.js';
import { createMigratedPglite } from '../../../../test/support/databases.js';

/** Test support only (not a test): a real Fastify app with the customers module on real PGlite. */
export interface CustomersTestApp {
  app: HttpApp;
  customers: CustomersService;
  db: Database;
  /** moves the service's clock; tokens are issued at real time + offset */
  setClockOffsetMs(ms: number): void;
  /** every response body this app sent, for "no secret ever leaks" checks */
  bodies: string[];
  close(): Promise<void>;
}

export interface Response<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  headers: Record<string, unknown>;
  body: T;
}

/**
 * `db` shares one database between several apps, like several processes of one service; they then
 * share `envelope` too, as processes share FLOODGATE_KEY_ENCRYPTION_KEY.
 */
export async function startCustomersApp(options: { db?: Database; envelope?: Envelope; accessTokenTtlSeconds?: number } = {}): Promise<CustomersTestApp> {
  // a clone of this run's migrated customers database: PGlite's initdb is 1.5–2 s of CPU (pglite-templates.ts)
  const ownDb = options.db ? undefined : await createMigratedPglite([customersMigrations]);
  const db = options.db ?? ownDb!;
  let offsetMs = 0;
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics('customers');
  const audit = await createTestAuditLog(db);
  const customers = createCustomersService({
    db,
    audit,
    bus: createInProcessEventBus(),
    logger,
    metrics,
    envelope: options.envelope ?? createTestEnvelope(),
    clock: () => new Date(Date.now() + offsetMs),
    ...(options.accessTokenTtlSeconds ? { accessTokenTtlSeconds: options.accessTokenTtlSeconds } : {}),
  });
  const app = await createHttpApp({ logger, metrics, authenticate: customers.client.authenticate, audit, modules: [customers, createAuditModule({ audit })], readinessChecks: {} });
  const bodies: string[] = [];
  app.addHook('onSend', async (_req, _reply, payload) => {
    if (typeof payload === 'string') bodies.push(payload);
    return payload;
  });
  await app.ready();
  return {
    app,
    customers,
    db,
    bodies,
    setClockOffsetMs: (ms) => void (offsetMs = ms),
    async close() {
      await app.close();
      await ownDb?.close();
    },
  };
}

export interface CallOptions {
  body?: unknown;
  token?: string;
  apiKey?: string;
  headers?: Record<string, string>;
}

export async function call<T = any>(app: HttpApp, method: 'GET' | 'POST' | 'DELETE', url: string, options: CallOptions = {}): Promise<Response<T>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await app.inject({
    method,
    url,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { payload: options.body as object } : {}),
  });
  return { status: res.statusCode, headers: res.headers, body: (res.body ? res.json() : undefined) as T };
}

let counter = 0;
/** a unique, valid email per call: tests never share accounts */
export const uniqueEmail = (label = 'c') => `${label}-${Date.now().toString(36)}-${(counter++).toString(36)}@example.com`;

export async function registerCustomer(app: HttpApp, overrides: { email?: string; password?: string; name?: string } = {}) {
  const input = { email: uniqueEmail(), password: 'correct horse battery', name: 'Ann Example', ...overrides };
  const res = await call<{ customer: { id: string; email: string; name: string }; accessToken: string; refreshToken: string }>(app, 'POST', '/v1/auth/register', { body: input });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res.body, password: input.password };
}
