import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApi, createShopper, type Api } from './api.js';
import { onTestFinished } from 'vitest';
import { startCheckoutLoad, type CheckoutLoad, type CheckoutLoadOptions, type LoadCustomer } from './checkout-load.js';
import { freePort, startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';
import { startPspProcess, type PspProcess } from './psp-process.js';
import { startShopProcess, type ShopProcess } from './shop-process.js';
import { startReadyProbe, type ReadyProbe } from './ready-probe.js';
import { TEST_ADMIN } from './shop.js';
import { waitFor } from './wait-for.js';

/**
 * The shop's database deadlines in fault tests: shorter than the 5 s defaults so that "answered
 * within the deadline" is well under the 10 s outages (a request that waits an outage out fails).
 */
export const DATABASE_DEADLINES = { queryMs: 2_000, connectMs: 2_000, pingMs: 1_000 } as const;

export interface FaultRigOptions {
  /** units on hand of the one variant every customer buys */
  stock: number;
  shopEnv?: Record<string, string>;
  pspEnv?: Record<string, string>;
  /** the test's time budget from the rig's start: keep it under the test timeout (90 s) */
  budgetMs?: number;
}

/**
 * Everything a fault test breaks, each a separate thing it owns: a private PostgreSQL, the fake PSP
 * as its own process, and the shop as a child process (`floodgate start`) wired to both, with one
 * product in stock. Disposing it stops all three, whatever state a fault left them in.
 */
export interface FaultRig extends AsyncDisposable {
  pg: PrivatePostgres;
  psp: PspProcess;
  /** the running shop; replaced by restartShop() */
  shop: ShopProcess;
  url: string;
  api: Api;
  shopper: ReturnType<typeof createShopper>;
  adminToken(): Promise<string>;
  variantId: string;
  initialStock: number;
  /** start the shop again on the same port and database (after a kill) */
  restartShop(): Promise<void>;
  /** `count` guests, each with a cart holding one unit; `paymentToken(i)` chooses each one's card */
  prepareCustomers(count: number, paymentToken: (i: number) => string): Promise<LoadCustomer[]>;
  /** why the shop or the PSP is gone when no test step ended it, else undefined */
  crashReason(): string | undefined;
  /** checkout load against this shop that stops at once if a process crashes, so the test fails fast */
  startLoad(customers: LoadCustomer[], options: CheckoutLoadOptions): CheckoutLoad;
  /** what is left of the test's budget: waits are cut to it, so a slow run fails with a reason, not a timeout */
  remainingMs(): number;
  /** note a step in the run's timeline (printed when the rig is disposed: where did the time go) */
  mark(step: string): void;
  /** /readyz asked back to back for the rest of the test */
  startProbe(): ReadyProbe;
  /** waitFor that fails at once, with the shop's last output, if a process crashed meanwhile */
  waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, options?: { timeoutMs?: number }): Promise<T>;
  dispose(): Promise<void>;
}

async function inBatches<T>(count: number, concurrency: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      out[i] = await make(i);
    }
  }));
  return out;
}

export async function startFaultRig(options: FaultRigOptions): Promise<FaultRig> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const began = Date.now();
  const timeline: string[] = [];
  const mark = (step: string) => void timeline.push(`${((Date.now() - began) / 1_000).toFixed(1).padStart(5)} s  ${step}`);
  const dispose = async () => {
    if (timeline.length > 0) console.log(`fault rig timeline:\n${timeline.splice(0).join('\n')}`);
    // in reverse: the shop goes before the database it talks to
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  // `await using` cleans up when the test body ends; a test that times out never gets there, and
  // nothing it started may outlive it
  onTestFinished(dispose);
  try {
    const dataDir = await mkdtemp(join(tmpdir(), 'floodgate-fault-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const [pspPort, port] = [await freePort(), await freePort()];
    const env = (databaseUrl: string) => ({
      FLOODGATE_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      FLOODGATE_PSP_URL: `http://127.0.0.1:${pspPort}`,
      FLOODGATE_ADMIN_EMAIL: TEST_ADMIN.email,
      FLOODGATE_ADMIN_PASSWORD: TEST_ADMIN.password,
      // a checkout cut by a kill resumes once its key's lock lapses: 10 s instead of 60 keeps tests short
      CHECKOUT_LOCK_MS: '10000',
      DATABASE_QUERY_TIMEOUT_MS: String(DATABASE_DEADLINES.queryMs),
      DATABASE_CONNECT_TIMEOUT_MS: String(DATABASE_DEADLINES.connectMs),
      DATABASE_PING_TIMEOUT_MS: String(DATABASE_DEADLINES.pingMs),
      ...options.shopEnv,
    });
    // the PSP starts beside PostgreSQL-then-shop (the shop only needs its address); every part that
    // started is registered for cleanup before any failure is thrown, so nothing leaks
    let shop!: ShopProcess;
    const started = await Promise.allSettled([
      startPspProcess({ port: pspPort, ...(options.pspEnv ? { env: options.pspEnv } : {}) }).then((psp) => {
        cleanups.push(() => psp.dispose());
        mark('fake PSP up');
        return psp;
      }),
      startPrivatePostgres().then(async (pg) => {
        cleanups.push(async () => pg[Symbol.asyncDispose]());
        mark('private PostgreSQL up');
        shop = await startShopProcess(env(pg.url), port);
        cleanups.push(() => shop.kill());
        mark('shop ready');
        return pg;
      }),
    ]);
    for (const r of started) if (r.status === 'rejected') throw r.reason;
    const psp = (started[0] as PromiseFulfilledResult<PspProcess>).value;
    const pg = (started[1] as PromiseFulfilledResult<PrivatePostgres>).value;

    let restarting = false;
    const crashReason = () => {
      if (!shop.alive() && !restarting) return `the shop process died:\n${shop.output().slice(-4_000)}`;
      if (!psp.alive() && !pspKilled) return `the fake PSP process died:\n${psp.output().slice(-2_000)}`;
      return undefined;
    };
    let pspKilled = false;
    const pspKill = psp.kill;
    const pspRestart = psp.restart;
    // a PSP killed on purpose is not a crash
    psp.kill = async () => {
      pspKilled = true;
      await pspKill();
    };
    psp.restart = async () => {
      await pspRestart();
      pspKilled = false;
    };

    const api = createApi(shop.url);
    const shopper = createShopper(api);
    let token = await shopper.adminToken(TEST_ADMIN);
    const { variantId } = await shopper.createProduct(token, { stock: options.stock });
    mark(`product with ${options.stock} units`);

    const rig: FaultRig = {
      pg,
      psp,
      get shop() {
        return shop;
      },
      url: shop.url,
      api,
      shopper,
      // a restarted shop may rotate its signing keys; a fresh login always works
      async adminToken() {
        if ((await api.get('/v1/me', { token })).status !== 200) token = await shopper.adminToken(TEST_ADMIN);
        return token;
      },
      variantId,
      initialStock: options.stock,
      async restartShop() {
        // killed on purpose: not a crash, and the load keeps retrying through it
        restarting = true;
        try {
          await shop.kill();
          mark('shop killed');
          shop = await startShopProcess(env(pg.url), port);
        } finally {
          restarting = false;
        }
        mark('shop restarted and ready');
      },
      async prepareCustomers(count, paymentToken) {
        const customers = await inBatches(count, 16, async (i) => {
          const guest = await shopper.guestToken();
          return { token: guest, cartId: await shopper.cartWith(guest, variantId, 1), paymentToken: paymentToken(i) };
        });
        mark(`${count} customers with a cart`);
        return customers;
      },
      mark,
      remainingMs: () => began + (options.budgetMs ?? 85_000) - Date.now(),
      crashReason,
      startLoad(customers, loadOptions) {
        const load = startCheckoutLoad(shop.url, customers, { ...loadOptions, stopWhen: () => Boolean(crashReason()) });
        mark(`checkout load: ${customers.length} at ${loadOptions.perSecond}/s`);
        void load.finished.then((r) => mark(`load finished: ${r.acknowledged.length} acknowledged, ${r.rejected.length} rejected, ${r.gaveUp.length} gave up`));
        onTestFinished(() => load.stop().then(() => undefined));
        return load;
      },
      startProbe() {
        const probe = startReadyProbe(shop.url);
        onTestFinished(() => probe.stop().then(() => undefined));
        return probe;
      },
      waitFor: (what, check, waitOptions) =>
        waitFor(what, async () => {
          const crash = crashReason();
          if (crash) throw Object.assign(new Error(crash), { fatal: true });
          return check();
        }, waitOptions),
      dispose,
      [Symbol.asyncDispose]: dispose,
    };
    return rig;
  } catch (err) {
    await dispose();
    throw err;
  }
}
