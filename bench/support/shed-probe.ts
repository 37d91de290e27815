// A light probe for bench:overload (issue 10: "shed answers p99 ≤ 10 ms"): in its own process, at a fixed low rate,
// it sends requests that meet the shedder — a list page (low) and a product page (normal) — with values their
// routes refuse (`limit=0`, a 201-character slug), so an admitted one is a 400 from validation, with no cache and no
// database behind it, and a shed one is the 503: the probe adds no work of its own to the load it measures. It times
// each from the moment it is written on its own keep-alive connection to the answer's last byte.
//
// Why beside the generator's own figures: the generator's latencies start when a flow wants to send, so on a
// saturated generator (one core for 6,000 arrivals/s of JSON flows) they hold the generator's event-loop lag and the
// wait for one of its pooled connections, which is neither the shop's work nor anything a shopper with their own
// connection sees. This process does almost nothing, so what it times is the shop's answer.
//   node --import tsx bench/support/shed-probe.ts <shop url> <seconds> [rps]   → one JSON line on stdout
import { Agent, request } from 'node:http';
import { createHistogram, recordMs, summarize, type LatencySummary } from '../../src/loadtest/latency-histogram.js';

export interface ProbeResult {
  sent: number;
  /** answers by status */
  statuses: Record<string, number>;
  shed: LatencySummary;
  /** the answers of the admitted ones (400 from validation) */
  served: LatencySummary;
  errors: number;
}

const [target, secondsArg, rpsArg] = process.argv.slice(2);
if (!target || !secondsArg) {
  process.stderr.write('usage: shed-probe.ts <shop url> <seconds> [rps=40]\n');
  process.exit(2);
}
const seconds = Number(secondsArg);
const rps = Number(rpsArg ?? 40);
const url = new URL(target);
// more sockets than the probe can ever have in flight: a probe request never waits for another one's connection
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const shed = createHistogram();
const served = createHistogram();
const statuses: Record<string, number> = {};
let sent = 0;
let errors = 0;
let pending = 0;

function probe(path: string): void {
  sent += 1;
  pending += 1;
  let started = 0;
  const req = request({ host: url.hostname, port: url.port, path, agent, headers: { accept: 'application/json' } }, (res) => {
    res.on('data', () => {});
    res.on('end', () => {
      const ms = performance.now() - started;
      statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
      recordMs(res.statusCode === 503 ? shed : served, ms);
      pending -= 1;
    });
  });
  // timed from the write, not from the call: a socket still being opened is the probe's wait, not the shop's
  req.on('socket', (socket) => {
    if (socket.connecting) socket.once('connect', () => (started = performance.now()));
    else started = performance.now();
  });
  req.on('error', () => {
    errors += 1;
    pending -= 1;
  });
  req.end();
}

const paths = ['/v1/products?limit=0', `/v1/products/${'x'.repeat(201)}`];
const intervalMs = 1000 / rps;
const start = performance.now();
let due = start;
let turn = 0;
// paced against the clock, not by setInterval's drift: a late tick sends what it owes
const timer = setInterval(() => {
  const now = performance.now();
  if (now - start >= seconds * 1000) {
    clearInterval(timer);
    void finish();
    return;
  }
  while (due <= now) {
    probe(paths[turn++ % paths.length]!);
    due += intervalMs;
  }
}, Math.max(1, Math.floor(intervalMs / 2)));

async function finish(): Promise<void> {
  const deadline = performance.now() + 15_000;
  while (pending > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  agent.destroy();
  const result: ProbeResult = { sent, statuses, shed: summarize(shed), served: summarize(served), errors: errors + pending };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
