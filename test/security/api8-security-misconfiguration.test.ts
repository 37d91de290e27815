// OWASP API8:2023 Security Misconfiguration: missing security headers, cacheable personal answers,
// permissive CORS, open operations endpoints, chatty errors, secrets in the startup output, and a
// production process that starts without the protections it needs.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, createShopper, type Api } from '../support/api.js';
import { startTestShop, useTestShop, type TestShop } from '../support/shop.js';
import { openRaw } from './raw-http.js';
import { DOCUMENT_SECURITY_HEADERS } from '../../src/platform/http/security-headers.js';

const BIN = fileURLToPath(new URL('../../bin/floodgate.js', import.meta.url));
const OPS_TOKEN = `ops-${randomUUID()}`;
const ALLOWED_ORIGIN = 'https://shop.example.com';

const envWithout = (...names: string[]) => Object.fromEntries(Object.entries(process.env).filter(([k]) => !names.includes(k)));

const preflight = (url: string, origin: string, path = '/v1/carts') =>
  fetch(`${url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });

describe('API8 security misconfiguration', () => {
  describe('a shop with an ops token and one allowed origin', () => {
    let shop: TestShop;
    let api: Api;
    let admin: string;

    beforeAll(async () => {
      shop = await startTestShop('pglite', { FLOODGATE_OPS_TOKEN: OPS_TOKEN, CORS_ORIGINS: ALLOWED_ORIGIN });
      api = createApi(shop.url);
      admin = await createShopper(api).adminToken(shop.admin);
    });
    afterAll(() => shop?.dispose());

    it('when any kind of answer is inspected (JSON, problem, docs, ops page, probe), then it carries the security headers and no X-Powered-By', async () => {
      const answers = {
        catalog: await fetch(`${shop.url}/v1/products?limit=1`),
        unknownRoute: await fetch(`${shop.url}/v1/nope`),
        badInput: await fetch(`${shop.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' }),
        docs: await fetch(`${shop.url}/docs`),
        opsPage: await fetch(`${shop.url}/ops`),
        healthz: await fetch(`${shop.url}/healthz`),
      };
      for (const [name, res] of Object.entries(answers)) {
        const h = res.headers;
        expect(h.get('x-content-type-options'), name).toBe('nosniff');
        expect(h.get('x-frame-options'), name).toBe('DENY');
        expect(h.get('content-security-policy'), name).toContain("frame-ancestors 'none'");
        expect(h.get('referrer-policy'), name).toBe('no-referrer');
        expect(h.get('x-powered-by'), name).toBeNull();
        expect(h.get('server'), name).toBeNull();
      }
      // JSON needs nothing: the API's own policy forbids every source
      expect(answers.catalog.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
      expect(answers.docs.headers.get('content-security-policy')).toContain("script-src 'self'");
      // the pages a browser renders also get helmet's document-only headers; JSON does not need them
      for (const name of ['docs', 'opsPage'] as const) {
        for (const [header, value] of Object.entries(DOCUMENT_SECURITY_HEADERS)) expect(answers[name].headers.get(header), `${name} ${header}`).toBe(value);
      }
      for (const name of ['catalog', 'badInput', 'healthz'] as const) {
        for (const header of Object.keys(DOCUMENT_SECURITY_HEADERS)) expect(answers[name].headers.get(header), `${name} ${header}`).toBeNull();
      }
    });

    it('when customer-specific answers are fetched (auth, me, carts, checkout, orders, admin, a refused call), then each says Cache-Control: no-store, and the catalog stays cacheable', async () => {
      const shopper = createShopper(api);
      const email = `nostore-${randomUUID()}@example.com`;
      const registered = await api.post('/v1/auth/register', { email, password: 'a-long-password-1', name: 'No Store' });
      const token = registered.body.accessToken as string;
      const { variantId } = await shopper.createProduct(admin, { stock: 5 });
      const cart = await api.post('/v1/carts', undefined, { token });
      const answers = {
        register: registered,
        login: await api.post('/v1/auth/login', { email, password: 'a-long-password-1' }),
        refresh: await api.post('/v1/auth/refresh', { refreshToken: registered.body.refreshToken }),
        guest: await api.post('/v1/auth/guest'),
        me: await api.get('/v1/me', { token }),
        createCart: cart,
        addItem: await api.post(`/v1/carts/${cart.body.id}/items`, { variantId, quantity: 1 }, { token }),
        readCart: await api.get(`/v1/carts/${cart.body.id}`, { token }),
        checkout: await shopper.checkout(token, cart.body.id),
        orders: await api.get('/v1/orders', { token }),
        adminKeys: await api.get('/v1/admin/api-keys', { token: admin }),
        adminStock: await api.get(`/v1/admin/inventory/${variantId}`, { token: admin }),
        refusedCart: await api.get(`/v1/carts/${cart.body.id}`),
        opsSummary: await api.get('/ops/summary.json', { token: OPS_TOKEN }),
      };
      const order = await api.get(`/v1/orders/${answers.checkout.body.orderId}`, { token });
      for (const [name, res] of Object.entries({ ...answers, order })) {
        expect(res.status, name).toBeLessThan(name === 'refusedCart' ? 500 : 300);
        expect(res.headers.get('cache-control'), name).toContain('no-store');
      }
      expect((await api.get('/v1/products?limit=1')).headers.get('cache-control')).toMatch(/^public/);
    });

    it('when a page on the allowed origin sends a CORS preflight, then it is answered 204 with the allowed methods and headers, without credentials', async () => {
      const res = await preflight(shop.url, ALLOWED_ORIGIN);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(res.headers.get('vary')).toContain('Origin');
      const simple = await fetch(`${shop.url}/v1/products?limit=1`, { headers: { origin: ALLOWED_ORIGIN } });
      expect(simple.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    });

    it('when look-alike origins (suffix, prefix, other scheme, null) send a preflight, then none is allowed', async () => {
      for (const origin of [`${ALLOWED_ORIGIN}.evil.net`, 'https://evil-shop.example.com', 'http://shop.example.com', 'null', 'https://evil.example']) {
        const res = await preflight(shop.url, origin);
        expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
        expect(res.status, origin).toBeGreaterThanOrEqual(400);
        const simple = await fetch(`${shop.url}/v1/products?limit=1`, { headers: { origin } });
        expect(simple.headers.get('access-control-allow-origin'), origin).toBeNull();
      }
    });

    it('when metrics and ops data are requested without the ops token, or with a wrong one, then 401 problem+json with WWW-Authenticate', async () => {
      for (const path of ['/metrics', '/ops/summary.json']) {
        for (const headers of [{} as Record<string, string>, { authorization: 'Bearer wrong-token-0000000000' }, { authorization: `Bearer ${OPS_TOKEN}x` }, { authorization: OPS_TOKEN }, { authorization: `Basic ${Buffer.from(`ops:${OPS_TOKEN}`).toString('base64')}` }]) {
          for (const method of ['GET', 'HEAD']) {
            const res = await fetch(`${shop.url}${path}`, { method, headers });
            expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
            expect(res.headers.get('www-authenticate')).toContain('Bearer');
            if (method === 'GET') expect(res.headers.get('content-type')).toContain('application/problem+json');
          }
        }
        const ok = await fetch(`${shop.url}${path}`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } });
        expect(ok.status, path).toBe(200);
      }
      // the page shell holds no data and must load so it can ask for the token
      expect((await fetch(`${shop.url}/ops`)).status).toBe(200);
    });

    it('when a probe reads /readyz without the ops token, then it gets the status but not which dependency is down or why', async () => {
      const open = await api.get('/readyz');
      expect(open.status).toBe(200);
      expect(open.body).toEqual({ status: 'ready' });
      const detailed = await api.get('/readyz', { token: OPS_TOKEN });
      expect(detailed.body.checks).toEqual({ database: 'ok' });
    });

    it('when errors are provoked (unknown route, malformed JSON, wrong media type, oversized body, bad id), then no stack trace, file path or version leaks', async () => {
      const answers = [
        await fetch(`${shop.url}/v1/does-not-exist`),
        await fetch(`${shop.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' }),
        await fetch(`${shop.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<a/>' }),
        await fetch(`${shop.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(100_000) }) }),
        await fetch(`${shop.url}/v1/products/${'%ff'.repeat(50)}`),
        await fetch(`${shop.url}/v1/orders/x`, { headers: { authorization: 'Bearer not.a.jwt' } }),
      ];
      for (const res of answers) {
        const text = await res.text();
        expect(res.status, text).toBeGreaterThanOrEqual(400);
        expect(res.status, text).toBeLessThan(500);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(text).not.toMatch(/\bat .+\(.*:\d+:\d+\)|node_modules|\/src\/|\.ts:\d|fastify|v\d+\.\d+\.\d+|Node\.js|Error:/i);
      }
    });

    it('when TRACE is sent with a secret header, then it is not echoed back (no cross-site tracing)', async () => {
      // fetch refuses to send TRACE, so the request is written by hand
      const host = new URL(shop.url).host;
      const raw = await openRaw(shop.url, `TRACE /v1/products HTTP/1.1\r\nHost: ${host}\r\nX-Secret: trace-me-please\r\nConnection: close\r\n\r\n`);
      await raw.closed;
      expect(raw.status()).toBeGreaterThanOrEqual(400);
      expect(raw.status()).toBeLessThan(500);
      expect(raw.response()).not.toContain('trace-me-please');
    });
  });

  describe('a shop with the defaults (npm start)', () => {
    const ctx = useTestShop('pglite');

    it('when any origin sends a CORS preflight, then no origin is allowed (CORS_ORIGINS is empty by default)', async () => {
      for (const origin of [ALLOWED_ORIGIN, 'http://127.0.0.1:8080', 'null']) {
        const res = await preflight(ctx.shop.url, origin);
        expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
        expect(res.status, origin).toBe(404);
      }
    });

    it('when no ops token is configured, then metrics and ops data stay open (the loopback all-in-one default)', async () => {
      expect((await fetch(`${ctx.shop.url}/metrics`)).status).toBe(200);
      expect((await ctx.api.get('/readyz')).body.checks).toEqual({ database: 'ok' });
    });
  });

  describe('the process', () => {
    it('when NODE_ENV=production and no FLOODGATE_OPS_TOKEN is set, then it refuses to start with one clear line and a non-zero exit', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'floodgate-prod-'));
      try {
        const child = spawn(process.execPath, [BIN, 'start', '--no-seed'], {
          env: { ...envWithout('FLOODGATE_OPS_TOKEN'), NODE_ENV: 'production', PORT: '0', FLOODGATE_DATA_DIR: dataDir },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
        expect(code).not.toBe(0);
        const lines = stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain('FLOODGATE_OPS_TOKEN is required when NODE_ENV=production');
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    it('when `floodgate start` seeds the demo admin, then the banner never prints its password and the file holding it is 0600', async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'floodgate-banner-'));
      const child = spawn(process.execPath, [BIN, 'start'], {
        env: { ...envWithout('FLOODGATE_ADMIN_EMAIL', 'FLOODGATE_ADMIN_PASSWORD', 'NODE_ENV'), HOST: '127.0.0.1', PORT: '0', FLOODGATE_DATA_DIR: dataDir, FLOODGATE_DEMO_PRODUCTS: '5', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      try {
        await expect.poll(() => output, { timeout: 60_000, interval: 200 }).toContain('Ctrl-C stops the shop');
        const file = join(dataDir, 'demo-admin.json');
        const { email, password } = JSON.parse(await readFile(file, 'utf8')) as { email: string; password: string };
        expect(password.length).toBeGreaterThanOrEqual(12);
        expect(output).toContain(email);
        expect(output).toContain('demo-admin.json');
        expect(output).not.toContain(password);
        expect((await stat(file)).mode & 0o777).toBe(0o600);
        // and the password in the file is the one that works
        const url = /Shop API\s+(http:\/\/[^/\s]+)/.exec(output)?.[1];
        expect(url).toBeDefined();
        expect((await createApi(url!).post('/v1/auth/login', { email, password })).status).toBe(200);
      } finally {
        child.kill('SIGTERM');
        await exited;
        await rm(dataDir, { recursive: true, force: true });
      }
    }, 90_000);
  });
});
