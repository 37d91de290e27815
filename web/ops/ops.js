/* global document, window, uPlot, ResizeObserver */
// Live operations page: on open, draws the process's last 15 minutes (/ops/history.json), then polls
// /ops/summary.json once a second and keeps adding to the same 15-minute window.
// No build step: plain browser JavaScript over uPlot (served from node_modules by the process).
(function main() {
  'use strict';

  const POLL_MS = 1000;
  const WINDOW = 900;
  // counts (outbox events) are whole numbers: their axis ticks must be too, or it reads "1, 1, 1, 0, 0"
  const INTEGER_CHARTS = new Set(['backlog']);
  const INTEGER_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];
  const MAX_GROUPS = 7;
  const PALETTE = ['#58a6ff', '#3fb950', '#d29922', '#f778ba', '#a371f7', '#39c5cf', '#ff7b72', '#e3b341', '#8b949e'];
  const STATUS_COLORS = { placed: '#58a6ff', paid: '#3fb950', payment_failed: '#f85149', cancelled: '#d29922', refunded: '#a371f7', fulfilled: '#39c5cf' };

  const times = [];
  // chart id → series name → values aligned with `times`
  const history = { rps: new Map(), p99: new Map(), errors: new Map(), orders: new Map(), backlog: new Map(), lag: new Map(), flash: new Map() };
  const charts = {};
  let lastOk = 0;

  const $ = (selector) => document.querySelector(selector);

  const fmt = {
    rate: (v) => (v == null ? '–' : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)),
    ms: (v) => (v == null ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(1)),
    pct: (v) => (v == null ? '–' : (v * 100).toFixed(v >= 0.1 ? 1 : 2)),
    count: (v) => (v == null ? '–' : String(Math.round(v))),
    mb: (bytes) => (bytes / (1024 * 1024)).toFixed(0),
    clock: (seconds) => new Date(seconds * 1000).toLocaleTimeString([], { hour12: false }),
    uptime: (s) => (s >= 3600 ? `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m` : s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`),
  };

  function setTile(metric, text, unit, alert) {
    const tile = document.querySelector(`.tile[data-metric="${metric}"]`);
    const value = tile.querySelector('.value');
    value.textContent = text;
    if (unit) {
      const small = document.createElement('small');
      small.textContent = unit;
      value.appendChild(small);
    }
    tile.classList.toggle('alert', Boolean(alert));
  }

  function push(chartId, values) {
    const series = history[chartId];
    for (const name of Object.keys(values)) {
      if (!series.has(name)) series.set(name, new Array(times.length - 1).fill(null));
    }
    for (const [name, list] of series) {
      list.push(name in values ? values[name] : null);
      if (list.length > WINDOW) list.shift();
    }
    // a series that has been empty for the whole window leaves the chart
    for (const [name, list] of series) if (list.every((v) => v == null)) series.delete(name);
  }

  const FLASH_COLORS = { joined: '#58a6ff', 'waiting polls': '#8b949e', admitted: '#d29922', reserved: '#3fb950', 'sold out': '#f85149' };

  function colorOf(chartId, name, index) {
    if (chartId === 'flash' && FLASH_COLORS[name]) return FLASH_COLORS[name];
    if (chartId === 'orders' && STATUS_COLORS[name]) return STATUS_COLORS[name];
    if (name === 'all') return '#e6ebf2';
    return PALETTE[index % PALETTE.length];
  }

  function build(chartId, names, data, format) {
    const el = document.getElementById(`chart-${chartId}`);
    charts[chartId]?.plot.destroy();
    const plot = new uPlot({
      width: Math.max(el.clientWidth, 300),
      height: 200,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } },
      axes: [
        // whole seconds as wall-clock time; uPlot's default shows sub-second ticks on a short window
        { stroke: '#8b97a8', grid: { stroke: '#263041' }, ticks: { stroke: '#263041' }, space: 70, incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300], values: (_u, vals) => vals.map(fmt.clock) },
        { stroke: '#8b97a8', grid: { stroke: '#263041' }, ticks: { stroke: '#263041' }, size: 56, values: (_u, vals) => vals.map(format), ...(INTEGER_CHARTS.has(chartId) ? { incrs: INTEGER_INCRS } : {}) },
      ],
      series: [{}, ...names.map((name, i) => ({ label: name, stroke: colorOf(chartId, name, i), width: name === 'all' ? 2 : 1.5, points: { show: false } }))],
    }, [times.slice(), ...data], el);
    charts[chartId] = { plot, key: names.join('\u0000') };
  }

  function draw(chartId, format) {
    let names = [...history[chartId].keys()];
    const data = names.map((n) => history[chartId].get(n).slice());
    if (names.length === 0) {
      // an empty placeholder keeps the axes (and the time window) visible before the first value
      names = ['no data yet'];
      data.push(times.map(() => null));
    }
    const existing = charts[chartId];
    if (!existing || existing.key !== names.join('\u0000')) build(chartId, names, data, format);
    else existing.plot.setData([times.slice(), ...data]);
  }

  function ingest(s) {
    times.push(s.at / 1000);
    if (times.length > WINDOW) times.shift();

    const groups = s.routes.filter((r) => r.requests > 0 || history.rps.has(r.group)).slice(0, MAX_GROUPS);
    const byGroup = (pick) => Object.fromEntries([['all', pick(s.total)], ...groups.map((r) => [r.group, pick(r)])]);
    push('rps', byGroup((r) => r.rps));
    push('p99', byGroup((r) => r.p99Ms));
    push('errors', byGroup((r) => (r.requests > 0 ? r.errorRate * 100 : null)));
    push('orders', s.ordersPerSecond);
    push('backlog', s.outboxBacklog);
    push('lag', { p99: s.eventLoopLagMs.p99, max: s.eventLoopLagMs.max });
    // seconds without sale traffic leave gaps; a window without any hides the panel (no sale is live)
    const f = s.flashSale;
    push('flash', f && f.joined + f.polls + f.reserved + f.soldOut > 0
      ? { joined: f.joined, 'waiting polls': f.waiting, admitted: f.admitted, reserved: f.reserved, 'sold out': f.soldOut }
      : {});
  }

  function render(s) {
    draw('rps', fmt.rate);
    draw('p99', fmt.ms);
    draw('errors', (v) => (v == null ? '–' : v.toFixed(v >= 10 ? 0 : 1)));
    draw('orders', fmt.rate);
    draw('backlog', fmt.count);
    draw('lag', fmt.ms);
    // the flash-sale panel shows while its window holds sale traffic
    const flashLive = history.flash.size > 0;
    $('#flash-panel').hidden = !flashLive;
    if (flashLive) draw('flash', fmt.rate);

    const orders = Object.values(s.ordersPerSecond).reduce((a, b) => a + b, 0);
    const backlog = Object.values(s.outboxBacklog).reduce((a, b) => a + b, 0);
    setTile('rps', fmt.rate(s.total.rps));
    setTile('p99', fmt.ms(s.total.p99Ms), s.total.p99Ms == null ? '' : 'ms', s.total.p99Ms > 500);
    setTile('errors', fmt.pct(s.total.errorRate), '%', s.total.errorRate > 0.01);
    setTile('orders', fmt.rate(orders));
    setTile('backlog', Object.keys(s.outboxBacklog).length ? fmt.count(backlog) : '–', '', backlog > 1000);
    setTile('lag', fmt.ms(s.eventLoopLagMs.p99), 'ms', s.eventLoopLagMs.p99 > 100);
    setTile('rss', fmt.mb(s.rssBytes), 'MB');

    $('#service').textContent = s.service;
    $('#pid').textContent = `pid ${s.pid}`;
    $('#uptime').textContent = `up ${fmt.uptime(s.uptimeSeconds)}`;
    renderRoutes(s.routes);
    renderResilience(s.resilience);
  }

  function renderResilience(r) {
    const body = $('#resilience-rows');
    const rows = r
      ? [
          ...r.breakers.map((b) => ['breaker', b.breaker, b.state.replace('_', '-')]),
          ...r.retries.map((x) => ['retries', x.dependency, `${fmt.count(x.attempted)} retried, ${fmt.count(x.refused)} refused by budget`]),
          ...r.switches.map((w) => ['switch', w.name, w.degraded ? 'degraded' : 'normal']),
        ]
      : [];
    fillRows(body, rows, 3, 'none in this process');
  }

  /** a table body: one row per array of cell texts, or one spanning cell saying why it is empty */
  function fillRows(body, rows, columns, emptyText) {
    body.replaceChildren();
    if (rows.length === 0) {
      const cell = body.insertRow().insertCell();
      cell.colSpan = columns;
      cell.className = 'empty';
      cell.textContent = emptyText;
      return;
    }
    for (const cells of rows) {
      const row = body.insertRow();
      for (const text of cells) row.insertCell().textContent = text;
    }
  }

  function renderRoutes(routes) {
    const body = $('#route-rows');
    const active = routes.filter((r) => r.requests > 0);
    fillRows(body, active.map((r) => [r.group, fmt.rate(r.rps), fmt.ms(r.p99Ms), `${fmt.pct(r.errorRate)}%`]), 4, 'no requests in the last second');
  }

  function setStatus(live) {
    const status = $('#status');
    status.textContent = live ? 'live' : 'no data';
    status.className = `status ${live ? 'live' : 'stale'}`;
  }

  // The operations token (when the process has one) lives in this tab's sessionStorage only: it is
  // gone when the tab closes, and never travels in a URL, a cookie or the page itself.
  const TOKEN_KEY = 'floodgate.opsToken';
  const storedToken = () => window.sessionStorage.getItem(TOKEN_KEY);

  function askForToken(message) {
    const form = $('#token-form');
    $('#token-error').textContent = message;
    form.hidden = false;
    $('#token').focus();
  }

  $('#token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    window.sessionStorage.setItem(TOKEN_KEY, $('#token').value.trim());
    $('#token').value = '';
    $('#token-form').hidden = true;
    poll();
  });

  // the first poll brings the process's recent past, drawn once with the first live sample
  let historyLoaded = false;
  async function loadHistory(headers, before) {
    historyLoaded = true;
    try {
      const response = await window.fetch('/ops/history.json', { cache: 'no-store', headers });
      if (!response.ok) return;
      const { samples } = await response.json();
      for (const s of samples) if (s.at < before) ingest(s);
    } catch (err) {
      console.warn('ops history failed', err);
    }
  }

  async function poll() {
    try {
      const token = storedToken();
      const headers = token ? { authorization: `Bearer ${token}` } : {};
      const response = await window.fetch('/ops/summary.json', { cache: 'no-store', headers });
      if (response.status === 401) {
        // wait for the operator instead of polling: the next poll starts when the form is sent
        window.sessionStorage.removeItem(TOKEN_KEY);
        askForToken(token ? 'That token was refused.' : '');
        setStatus(false);
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const summary = await response.json();
      if (!historyLoaded) await loadHistory(headers, summary.at);
      ingest(summary);
      render(summary);
      lastOk = Date.now();
    } catch (err) {
      console.warn('ops summary failed', err);
    }
    setStatus(Date.now() - lastOk < 3 * POLL_MS);
    window.setTimeout(poll, POLL_MS);
  }

  new ResizeObserver(() => {
    for (const [chartId, chart] of Object.entries(charts)) {
      const el = document.getElementById(`chart-${chartId}`);
      chart.plot.setSize({ width: Math.max(el.clientWidth, 300), height: 200 });
    }
  }).observe($('.charts'));

  poll();
})();
