import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { constantRateScenario, startLocalTestServer, type LocalTestServer } from './local-test-server.js';
import { fileTimestamp } from './report-files.js';
import { runLoadTest, type LoadTestResult } from './run-load-test.js';

const CHROMIUM = '/usr/bin/chromium';
const chromiumPresent = existsSync(CHROMIUM);
if (!chromiumPresent) {
  // CI must never go green by testing less
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing; CI=true requires it (apt-get install chromium)`);
  console.warn(`\n[floodgate tests] SKIPPING the HTML report browser test: ${CHROMIUM} is not installed.\n`);
}

describe.skipIf(!chromiumPresent)('HTML report in Chromium', () => {
  let server: LocalTestServer;
  let browser: Browser;
  let result: LoadTestResult;
  const reportsDir = resolve('reports');

  beforeAll(async () => {
    server = await startLocalTestServer({ delayMs: 3, status: (n) => (n % 10 === 0 ? 503 : 200) });
    result = await runLoadTest({ scenario: constantRateScenario(50, 3), target: server.url, outDir: reportsDir, progress: false });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('when a short run ends, then the HTML and JSON reports are written to reports/ under the scenario and time', async () => {
    expect(result.files?.html).toBe(resolve(reportsDir, `loadtest-constant-${fileTimestamp(result.startedAt)}.html`));
    const json = JSON.parse(await readFile(result.files!.json, 'utf8')) as LoadTestResult;
    expect(json.steps.find((s) => s.step === 'ping')).toMatchObject({ count: 150, errors: 0, refused: 15, refusedByStatus: { '503': 15 } });
    expect(json.windows.length).toBeGreaterThanOrEqual(3);
  });

  it('when the report opens in Chromium offline, then the three charts draw and the tables show the run', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1500 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(pathToFileURL(result.files!.html).href);
    await page.waitForSelector('body[data-charts-ready="true"]', { timeout: 10_000 });

    for (const chart of ['latency', 'throughput', 'errors']) {
      const box = await page.locator(`#chart-${chart} canvas`).boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      expect(box?.height).toBeGreaterThan(100);
    }
    expect(await page.locator('table#checks').innerText()).toContain('test scenario ran');
    expect(await page.locator('table#steps').innerText()).toMatch(/ping\s+150/);
    expect(await page.locator('table#steps').innerText()).toContain('503×15');
    // self-contained: nothing but the file itself was loaded
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(pageErrors).toEqual([]);

    await mkdir(reportsDir, { recursive: true });
    await page.screenshot({ path: resolve(reportsDir, 'loadtest-report-screenshot.png'), fullPage: true });
    await page.close();
  });
});
