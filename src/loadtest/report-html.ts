import type { LoadTestResult } from './run-load-test.js';
import { formatErrors } from './step-table.js';

export interface ReportAssets {
  uplotJs: string;
  uplotCss: string;
}

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** inline <script> bodies must never contain a closing tag, whatever the data holds */
const scriptSafe = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
const jsonForScript = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

const ms = (n: number) => n.toFixed(n >= 100 ? 0 : 1);

function table(id: string, header: string[], rows: string[][], numeric: Set<number>): string {
  const th = header.map((h, i) => `<th${numeric.has(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric.has(i) ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table id="${id}"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

/** One file, no network: uPlot and the data are inlined so the report opens anywhere, offline, years later. */
export function renderHtmlReport(result: LoadTestResult, assets: ReportAssets): string {
  const total = result.steps.at(-1);
  const title = `Floodgate loadtest · ${result.scenario} · ${result.startedAt}`;
  const checks = table(
    'checks',
    ['check', 'result', 'detail'],
    result.checks.map((c) => [esc(c.name), `<span class="badge ${esc(c.status)}">${esc(c.status)}</span>`, esc(c.detail)]),
    new Set(),
  );
  const steps = table(
    'steps',
    ['step', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'refused (429/503)', 'errors by status'],
    result.steps.map((r) => [esc(r.step), String(r.count), r.rps.toFixed(1), ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max), esc(formatErrors(r.refusedByStatus)), esc(formatErrors(r.errorsByStatus))]),
    new Set([1, 2, 3, 4, 5, 6]),
  );
  const phases = table(
    'phases',
    ['phase', 'seconds', 'rate from /s', 'rate to /s'],
    result.phases.map((p) => [esc(p.name), String(p.durationSec), String(p.fromRate), String(p.toRate)]),
    new Set([1, 2, 3]),
  );
  const a = result.arrivals;
  const summary = [
    ['target', esc(result.target)],
    ['started', esc(result.startedAt)],
    ['duration', `${result.durationSec} s`],
    ['requests', `${total?.count ?? 0} (${total?.rps.toFixed(1) ?? 0} req/s), refused ${total?.refused ?? 0} (429/503 with Retry-After), errors ${total?.errors ?? 0}`],
    ['latency', `p50 ${ms(total?.p50 ?? 0)} ms · p95 ${ms(total?.p95 ?? 0)} ms · p99 ${ms(total?.p99 ?? 0)} ms · max ${ms(total?.max ?? 0)} ms`],
    ['arrivals', `${a.started} started of ${a.scheduled} due · ${a.dropped} dropped · ${a.late} late (lag p99 ${a.startLag.p99} ms)`],
    ['options', esc(JSON.stringify(result.options))],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${assets.uplotCss}</style>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;padding:0 16px;color:#1d2330}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:28px 0 8px}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:600}
.verdict.pass{background:#1f8a4c}.verdict.fail{background:#c0392b}
table{border-collapse:collapse;width:100%;margin:6px 0} th,td{border-bottom:1px solid #e3e6eb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f5f6f8} .num{text-align:right;font-variant-numeric:tabular-nums}
.badge{padding:1px 7px;border-radius:3px;font-size:12px;font-weight:600}
.badge.passed{background:#d4f2df;color:#145c32}.badge.failed{background:#f8d7d3;color:#8a1f13}
.badge.skipped{background:#e7e9ee;color:#4a5160}.badge.warning{background:#fdf0c9;color:#7a5a00}
.chart{margin:8px 0 20px} dl{display:grid;grid-template-columns:110px 1fr;gap:2px 12px;margin:0} dt{color:#5b6374} dd{margin:0;overflow-wrap:anywhere}
</style></head>
<body>
<h1>${esc(title)}</h1>
<p>${esc(result.description)} — <span class="verdict ${result.passed ? 'pass' : 'fail'}">${result.passed ? 'checks passed' : 'a check failed'}</span></p>
<dl>${summary.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
<h2>Correctness checks</h2>${checks}
<h2>Latency over time (ms, per 1 s window)</h2><div class="chart" id="chart-latency" data-chart="latency"></div>
<h2>Throughput over time (per second)</h2><div class="chart" id="chart-throughput" data-chart="throughput"></div>
<h2>Errors and refusals over time (per second)</h2><div class="chart" id="chart-errors" data-chart="errors"></div>
<h2>Steps</h2>${steps}
<h2>Load profile</h2>${phases}
<script id="report-data" type="application/json">${jsonForScript({ windows: result.windows })}</script>
<script>${scriptSafe(assets.uplotJs)}</script>
<script>${scriptSafe(CHART_SCRIPT)}</script>
</body></html>
`;
}

// runs in the browser: turns the inlined windows into three uPlot charts
const CHART_SCRIPT = `
(function () {
  var w = JSON.parse(document.getElementById('report-data').textContent).windows;
  var xs = w.map(function (s) { return s.t; });
  var col = function (k) { return w.map(function (s) { return s[k]; }); };
  var width = Math.min(1060, document.body.clientWidth - 8);
  // series: [label, field, colour, right-axis label?]; a right-axis series gets its own scale so that
  // thousands of flows in flight do not flatten a few hundred requests per second
  function chart(id, label, series) {
    var right = series.filter(function (s) { return s[3]; })[0];
    var axes = [{ label: 'seconds since start' }, { label: label }];
    if (right) axes.push({ scale: 'right', side: 1, label: right[3], grid: { show: false } });
    var opts = {
      width: width, height: 260,
      scales: { x: { time: false } },
      axes: axes,
      series: [{ label: 't (s)' }].concat(series.map(function (s) {
        return { label: s[0], stroke: s[2], width: 1.5, scale: s[3] ? 'right' : 'y' };
      })),
    };
    new uPlot(opts, [xs].concat(series.map(function (s) { return col(s[1]); })), document.getElementById(id));
  }
  chart('chart-latency', 'ms', [['p50', 'p50', '#2b7bb9'], ['p95', 'p95', '#e0a100'], ['p99', 'p99', '#c0392b']]);
  chart('chart-throughput', 'per second', [['target arrivals/s', 'targetRate', '#7f8c8d'], ['arrivals started/s', 'arrivals', '#8e44ad'], ['responses/s', 'rps', '#1f8a4c'], ['in-flight flows (right axis)', 'inFlight', '#d35400', 'flows in flight']]);
  chart('chart-errors', 'per second', [['4xx', 'errors4xx', '#e0a100'], ['5xx', 'errors5xx', '#c0392b'], ['network', 'errorsNetwork', '#34495e'], ['dropped arrivals', 'dropped', '#8e44ad'], ['429 limited', 'limited', '#16a085'], ['503 shed', 'shed', '#2980b9']]);
  document.body.setAttribute('data-charts-ready', 'true');
})();
`;
