// OWASP API10:2023 Unsafe Consumption of APIs: the one third-party API the shop consumes is the
// payment provider. A hostile (or broken, or impersonated) PSP stands in for it here as a real HTTP
// server, and each test sends one kind of bad answer. However the PSP answers, the shop must not
// crash, must not take a malformed answer for a capture (no "paid" order without a well-formed
// capture), must not follow it elsewhere, must not store what it sent unchecked, and must settle the
// order once the PSP answers properly again.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, createShopper, type Api } from '../support/api.js';
import { startTestShop, type TestShop } from '../support/shop.js';

type Mode = (req: IncomingMessage, res: ServerResponse) => void;

const json = (status: number, body: string, type = 'application/json') => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
};

const honest: Mode = (req, res) => {
  if (req.url === '/v1/refunds') return json(201, JSON.stringify({ id: `re_${randomUUID()}`, status: 'refunded' }))(req, res);
  json(201, JSON.stringify({ id: `ch_${randomUUID()}`, status: 'captured' }))(req, res);
};

/** A PSP whose every answer the test chooses; it counts charge attempts per idempotency key. */
async function startHostilePsp() {
  let mode: Mode = honest;
  const attempts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      if (req.url === '/v1/charges') attempts.set(key, (attempts.get(key) ?? 0) + 1);
      // its health endpoint stays honest: a PSP that is up but answers charges with garbage, so the
      // shop's circuit (which opens on garbage, as on an outage) closes again on its probe
      if (req.url === '/healthz') return json(200, '{"status":"ok"}')(req, res);
      mode(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set: (next: Mode) => { mode = next; },
    attemptsFor: (orderId: string) => attempts.get(`order:${orderId}`) ?? 0,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A server that must never be called: where a hostile redirect points. */
async function startCanary() {
  let hits = 0;
  const server = createServer((_req, res) => { hits++; res.end('{"status":"captured","id":"ch_canary"}'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('API10 unsafe consumption of APIs: a hostile payment provider', () => {
  let psp: Awaited<ReturnType<typeof startHostilePsp>>;
  let canary: Awaited<ReturnType<typeof startCanary>>;
  let shop: TestShop;
  let api: Api;
  let customer: string;
  let variantId: string;

  beforeAll(async () => {
    psp = await startHostilePsp();
    canary = await startCanary();
    // garbage opens the PSP circuit; a probe after 0.5 s instead of the production 5 s lets the next attempt
    // (each test waits for the shop's second) come sooner: the same attempts, the same answers, less waiting
    shop = await startTestShop('pglite', { FLOODGATE_PSP_URL: psp.url, PSP_CIRCUIT_HALF_OPEN_AFTER_MS: '500' });
    api = createApi(shop.url);
    const shopper = createShopper(api);
    ({ variantId } = await shopper.createProduct(await shopper.adminToken(shop.admin), { stock: 100 }));
    customer = (await shopper.register('PSP Victim')).token;
  });
  afterAll(async () => {
    await shop?.dispose();
    await psp?.close();
    await canary?.close();
  });

  /** Places an order while the PSP behaves as `mode`, and returns once the PSP has been asked twice (the shop retried). */
  async function orderUnder(mode: Mode, timeout = 20_000): Promise<string> {
    psp.set(mode);
    const shopper = createShopper(api);
    const placed = await shopper.checkout(customer, await shopper.cartWith(customer, variantId, 1));
    expect(placed.status).toBe(202);
    const orderId = placed.body.orderId as string;
    await expect.poll(() => psp.attemptsFor(orderId), { timeout }).toBeGreaterThanOrEqual(2);
    return orderId;
  }

  const statusOf = async (orderId: string) => (await api.get(`/v1/orders/${orderId}`, { token: customer })).body.status as string;

  async function expectNotPaidAndAlive(orderId: string) {
    expect(await statusOf(orderId)).not.toBe('paid');
    expect((await api.get('/healthz')).status).toBe(200);
    expect((await api.get('/v1/products?limit=1')).status).toBe(200);
  }

  it('when the PSP says "captured" without a charge id, then the order is not paid', async () => {
    await expectNotPaidAndAlive(await orderUnder(json(201, '{"status":"captured"}')));
  });

  it('when the PSP answers a charge id of the wrong type (an object, an array, a number), then the order is not paid', async () => {
    for (const id of ['{"$ne":null}', '["ch_1","ch_2"]', '12345', 'true']) {
      await expectNotPaidAndAlive(await orderUnder(json(201, `{"status":"captured","id":${id}}`)));
    }
  });

  it('when the PSP answers a charge id with control characters or 10,000 characters, then the order is not paid', async () => {
    for (const id of ['"ch_\\u0000\\n"', `"ch_${'x'.repeat(10_000)}"`]) {
      await expectNotPaidAndAlive(await orderUnder(json(201, `{"status":"captured","id":${id}}`)));
    }
  });

  it('when the PSP hides "captured" under __proto__, then the order is not paid and no object in the shop is polluted', async () => {
    await expectNotPaidAndAlive(await orderUnder(json(201, '{"__proto__":{"status":"captured","id":"ch_proto"},"constructor":{"prototype":{"status":"captured"}}}')));
    expect(({} as Record<string, unknown>).status).toBeUndefined();
    expect(({} as Record<string, unknown>).id).toBeUndefined();
  });

  it('when the PSP answers 200 with an HTML page or truncated JSON, then the order is not paid', async () => {
    await expectNotPaidAndAlive(await orderUnder(json(200, '<html><body>captured</body></html>', 'text/html')));
    await expectNotPaidAndAlive(await orderUnder(json(200, '{"status":"captured","id":"ch_trunc"')));
  });

  it('when the PSP redirects the charge to another (internal) address, then the shop does not follow and the order is not paid', async () => {
    const orderId = await orderUnder((_req, res) => { res.writeHead(307, { location: `${canary.url}/v1/charges` }); res.end(); });
    await expectNotPaidAndAlive(orderId);
    expect(canary.hits()).toBe(0);
  });

  it('when the PSP streams a 20 MB answer, then the shop stops reading at its cap and the order is not paid', async () => {
    let bytesSent = 0;
    let abandoned = 0;
    const huge: Mode = (_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.on('close', () => { if (!res.writableFinished) abandoned++; });
      res.write('{"status":"captured","id":"ch_big","pad":"');
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 320 && !res.destroyed) {
          sent++;
          bytesSent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end('"}');
      };
      pump();
    };
    const orderId = await orderUnder(huge);
    await expectNotPaidAndAlive(orderId);
    // the shop hung up on every attempt instead of taking the 20 MB
    await expect.poll(() => abandoned, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    expect(bytesSent).toBeGreaterThan(0);
  });

  it('when the PSP declines with a hostile reason (markup, 5,000 characters), then the order fails without storing or showing that text', async () => {
    const hostile = `<script>alert(1)</script>${'r'.repeat(5_000)}`;
    psp.set(json(402, JSON.stringify({ status: 'declined', reason: hostile })));
    const shopper = createShopper(api);
    const placed = await shopper.checkout(customer, await shopper.cartWith(customer, variantId, 1));
    const settled = await shopper.settledOrder(customer, placed.body.orderId as string);
    expect(settled.status).toBe('payment_failed');
    const answer = JSON.stringify(await api.get(`/v1/orders/${placed.body.orderId}`, { token: customer }));
    expect(answer).not.toContain('<script>');
    expect(answer).not.toContain('rrrrrrrrrr');
  });

  it('when a PSP that sent garbage answers properly again, then the held-back order is paid', async () => {
    const orderId = await orderUnder(json(201, '{"status":"captured","id":{"nested":true}}'));
    expect(await statusOf(orderId)).not.toBe('paid');
    psp.set(honest);
    // redelivery backs off (0.5 s, 1 s, 2 s …), so the next attempt comes within seconds
    await expect.poll(() => statusOf(orderId), { timeout: 25_000, interval: 250 }).toBe('paid');
  }, 60_000);
});
