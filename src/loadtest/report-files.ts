import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { renderHtmlReport, type ReportAssets } from './report-html.js';
import type { LoadTestResult } from './run-load-test.js';

const require = createRequire(import.meta.url);

export async function loadReportAssets(): Promise<ReportAssets> {
  const [uplotJs, uplotCss] = await Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  ]);
  return { uplotJs, uplotCss };
}

/** 2024-05-01T12-30-05Z: sortable, and valid in a file name everywhere */
export const fileTimestamp = (iso: string) => iso.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');

/** writes reports/loadtest-<scenario>-<timestamp>.html and the .json beside it */
export async function writeReportFiles(result: LoadTestResult, outDir: string): Promise<{ html: string; json: string }> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const base = join(dir, `loadtest-${result.scenario}-${fileTimestamp(result.startedAt)}`);
  const files = { html: `${base}.html`, json: `${base}.json` };
  await writeFile(files.json, `${JSON.stringify({ ...result, files }, null, 2)}\n`);
  await writeFile(files.html, renderHtmlReport(result, await loadReportAssets()));
  return files;
}
