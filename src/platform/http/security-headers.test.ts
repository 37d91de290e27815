import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { HttpApp } from '../service.js';
import { createLogger } from '../telemetry/logger.js';
import { createMetrics } from '../telemetry/metrics.js';
import { createHttpApp } from './create-http-app.js';
import { DOCUMENT_SECURITY_HEADERS } from './security-headers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing; CI=true requires it (bash .ci/run installs it)`);
  console.warn(`\n[floodgate tests] SKIPPING the /docs browser test: ${CHROMIUM} is not installed (apt-get install chromium).\n`);
}

describe.skipIf(!hasChromium)('security headers and the pages that render', () => {
  let browser: Browser;
  let app: HttpApp;
  let url: string;

  beforeAll(async () => {
    app = await createHttpApp({
      logger: createLogger({ service: 'headers-test', level: 'silent', pretty: false }),
      metrics: createMetrics('headers-test'), authenticate: async () => null, readinessChecks: {},
      modules: [{
        name: 'demo', client: {}, routes: (a) => {
          a.get('/v1/things/:id', { schema: { tags: ['things'], params: z.object({ id: z.string() }), response: { 200: z.object({ id: z.string() }) } } }, async (req) => ({ id: req.params.id }));
        },
      }],
    });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run'] });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('when the Swagger UI at /docs loads under its CSP, then it renders the operations and the browser reports no violation', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(e.message));
    const response = await page.goto(`${url}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('.opblock', { timeout: 15_000 });
    expect(await page.locator('.opblock-summary-path').allTextContents()).toContain('/v1/things/{id}');
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('when a JSON answer is opened as a page, then its CSP lets nothing run and nothing frame it', async () => {
    const res = await fetch(`${url}/v1/things/1`);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    // headers that only mean something to a rendered document are not sent with JSON
    for (const name of Object.keys(DOCUMENT_SECURITY_HEADERS)) expect(res.headers.get(name), name).toBeNull();
  });

  it('when the docs page is served, then it also carries the headers only documents need', async () => {
    const res = await fetch(`${url}/docs/`);
    await res.arrayBuffer();
    expect(Object.keys(DOCUMENT_SECURITY_HEADERS).sort()).toEqual(['cross-origin-opener-policy', 'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection']);
    for (const [name, value] of Object.entries(DOCUMENT_SECURITY_HEADERS)) expect(res.headers.get(name), name).toBe(value);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});
