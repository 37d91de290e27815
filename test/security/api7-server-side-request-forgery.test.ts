// OWASP API7:2023 Server Side Request Forgery. What the shop calls out to today: the payment provider
// (FLOODGATE_PSP_URL, or the in-process fake PSP), the OpenTelemetry collector (OTEL_EXPORTER_OTLP_ENDPOINT),
// the other services in the production topology (`<SERVICE>_URL`) and its databases — all from
// configuration, none from a request. The first test keeps that list
// honest (a new outbound HTTP call fails it until it is reviewed and added here with its source); the
// others put URLs aimed at a canary server into every place a request can carry one and check that
// nothing ever calls the canary, and that the PSP call goes to the configured host only.
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, createApi, createShopper, type Api } from '../support/api.js';
import { startTestShop, type TestShop } from '../support/shop.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Every file that may make an outbound HTTP request, and where its URL comes from. */
const OUTBOUND_HTTP: Record<string, string> = {
  'services/payments/providers/fake-psp-payment-provider.ts': 'FLOODGATE_PSP_URL (config) or the in-process fake PSP; path is a constant',
  'services/payments/fake-psp/start-fake-psp.ts': "the fake PSP's own /_stats, on the address it listens on (tests and the CLI)",
  'loadtest/http-client.ts': 'the loadtest --target, refused unless loopback (target-guard.ts)',
  'platform/telemetry/tracing.ts': 'OTEL_EXPORTER_OTLP_ENDPOINT (environment)',
  'platform/http/internal-client.ts': 'the `<SERVICE>_URL` of the called service (config, validated at start); the path is `/internal/<service>/<method>` from the contract table, never from a request',
  'runtime/cluster/cluster-process.ts': "the readiness probe of a process the local cluster itself started, on 127.0.0.1 and the port it chose",
  'client/create-floodgate-client.ts': "the SDK: the baseUrl its caller gives (the caller's own shop); paths from the generated API types, never from an answer",
  'client/resilient-fetch.ts': "the SDK's retries and token refresh: the request the SDK built, sent again unchanged but for its bearer token",
  'preflight/run-preflight.ts': "the operator's own shop (preflight --target, default 127.0.0.1:8080): an admin login and a few reads, paths built from constants and the encoded sale id",
};
const HTTP_CLIENT = /\bfetch\(|^import (?!type)[^;]*from '(undici|axios|got|node-fetch|ky)'|\bhttps?\.(request|get)\(|new OTLPTraceExporter\(/m;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))));
  return nested.flat().filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('test-support'));
}

/** Any HTTP server that records what reaches it: the canary (must stay silent) and the stand-in PSP. */
async function startRecorder(answer: (req: IncomingMessage, body: string) => { status: number; body: unknown }) {
  const seen: Array<{ url: string; host: string; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', host: req.headers.host ?? '', body });
      const { status, body: out } = answer(req, body);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

describe('API7 server side request forgery', () => {
  it('when the source is scanned for outbound HTTP clients, then only the reviewed, configuration-driven ones exist', async () => {
    const found: string[] = [];
    for (const file of await sourceFiles(SRC)) {
      if (HTTP_CLIENT.test(await readFile(file, 'utf8'))) found.push(relative(SRC, file));
    }
    expect(found.sort()).toEqual(Object.keys(OUTBOUND_HTTP).sort());
  });

  describe('URLs in requests', () => {
    let canary: Awaited<ReturnType<typeof startRecorder>>;
    let psp: Awaited<ReturnType<typeof startRecorder>>;
    let shop: TestShop;
    let api: Api;

    beforeAll(async () => {
      canary = await startRecorder(() => ({ status: 200, body: { status: 'captured', id: 'ch_canary' } }));
      // a PSP that captures tok_visa and declines anything else, as the real one would
      psp = await startRecorder((_req, body) => (JSON.parse(body || '{}').token === 'tok_visa'
        ? { status: 201, body: { id: `ch_${randomUUID()}`, status: 'captured' } }
        : { status: 402, body: { status: 'declined', reason: 'card_declined' } }));
      shop = await startTestShop('pglite', { FLOODGATE_PSP_URL: psp.url });
      api = createApi(shop.url);
    });
    afterAll(async () => {
      await shop?.dispose();
      await canary?.close();
      await psp?.close();
    });

    it('when canary URLs ride in every route\'s query, in proxy and rewrite headers and in every text field, then nothing calls the canary and the PSP is called on its configured host only', async () => {
      const shopper = createShopper(api);
      const admin = await shopper.adminToken(shop.admin);
      const customer = await shopper.register('SSRF Customer');
      let { variantId } = await shopper.createProduct(admin, { stock: 50 });
      const { productId } = await shopper.createProduct(admin, { stock: 50 });
      const target = `${canary.url}/steal`;
      const canaryHost = new URL(canary.url).host;
      const headers = {
        'x-forwarded-host': canaryHost, 'x-forwarded-proto': 'http', forwarded: `host=${canaryHost}`, 'x-original-url': target,
        'x-rewrite-url': target, referer: target, 'x-callback-url': target, 'x-webhook-url': target, 'x-psp-url': target,
      };
      const query = new URLSearchParams({ url: target, callback: target, webhook: target, redirect: target, next: target, image: target, pspUrl: target }).toString();

      // every documented operation, with the canary in its query string and headers (ids are real where a route needs one)
      const spec = (await api.get('/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
      for (const [path, ops] of Object.entries(spec.paths)) {
        for (const method of Object.keys(ops)) {
          const url = path.replace('{variantId}', variantId).replace(/\{[^}]+\}/g, productId);
          await api.call(method.toUpperCase(), `${url}?${query}`, method === 'get' || method === 'delete' ? undefined : { url: target, callbackUrl: target, webhookUrl: target, imageUrl: target }, { token: admin, headers });
        }
      }
      // text fields that are stored and later shown, with URLs in them
      await api.post('/v1/admin/products', { name: `Product ${target}`, description: `See ${target} and file:///etc/passwd`, categoryId: (await api.get('/v1/categories')).body.items[0].id, variants: [{ sku: `SSRF-${randomUUID().slice(0, 8)}`, title: target.slice(0, 100), price: { amount: 100, currency: 'USD' } }] }, { token: admin });
      await api.post('/v1/auth/register', { email: `ssrf-${randomUUID()}@example.com`, password: 'a-long-password-1', name: target });
      await api.post('/v1/admin/api-keys', { name: target }, { token: admin });
      // a checkout whose payment token and address are URLs
      // (a fresh product: the sweep above archived the first one through its admin route)
      ({ variantId } = await shopper.createProduct(admin, { stock: 50 }));
      const cart = await shopper.cartWith(customer.token, variantId, 1);
      const hostile = await api.post('/v1/checkout', { cartId: cart, paymentToken: target, shippingAddress: { ...ADDRESS, line1: target.slice(0, 100), city: canaryHost } }, { token: customer.token, headers: { ...headers, 'idempotency-key': randomUUID() } });
      // the last thing in the pipeline: once this order is paid, every earlier event has been handled
      const sentinel = await shopper.checkout(customer.token, await shopper.cartWith(customer.token, variantId, 1));
      expect(sentinel.status).toBe(202);
      expect((await shopper.settledOrder(customer.token, sentinel.body.orderId)).status).toBe('paid');
      // a payment token has the PSP's token form: a URL is refused at the schema, before any order exists
      expect(hostile.status).toBe(400);
      expect(JSON.stringify(hostile.body.errors)).toContain('body.paymentToken');

      expect(canary.seen).toEqual([]);
      const pspHost = new URL(psp.url).host;
      expect(psp.seen.length).toBeGreaterThan(0);
      expect(psp.seen.every((r) => r.host === pspHost && r.url === '/v1/charges')).toBe(true);
      // and no URL we sent reached even the configured PSP
      expect(psp.seen.some((r) => r.body.includes(JSON.stringify(target).slice(1, -1)) || r.body.includes(canaryHost))).toBe(false);
    }, 60_000);

    it('when a checkout is sent with a forged Host header, then the Location it answers stays relative to this API', async () => {
      const shopper = createShopper(api);
      const admin = await shopper.adminToken(shop.admin);
      const customer = await shopper.register('Host Customer');
      const { variantId } = await shopper.createProduct(admin, { stock: 5 });
      const res = await api.post('/v1/checkout', { cartId: await shopper.cartWith(customer.token, variantId, 1), paymentToken: 'tok_visa', shippingAddress: ADDRESS },
        { token: customer.token, headers: { 'idempotency-key': randomUUID(), 'x-forwarded-host': 'evil.example', forwarded: 'host=evil.example' } });
      expect(res.status).toBe(202);
      expect(res.headers.get('location')).toMatch(/^\/v1\/orders\//);
    });
  });
});
