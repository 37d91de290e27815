/**
 * How many log lines a second the scrubbing logger writes (to a sink that drops them), for the
 * lines a request writes: `npm run bench:log-scrub`. docs/security.md records the figures.
 */
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../src/platform/telemetry/logger.js';

const sink = () => new Writable({ write(_chunk, _encoding, done) { done(); } });

const LINES: Array<[string, (log: Logger) => void]> = [
  ['request line', (log) => log.info({ route: '/v1/products/:idOrSlug', method: 'GET', status: 200, durationMs: 3.4 }, 'request')],
  ['refused request', (log) => log.info({ route: '/v1/flash-sales/:id/reservations', method: 'POST', status: 409, code: 'FLASH_SALE_SOLD_OUT', durationMs: 1.2 }, 'request')],
  ['line with ids', (log) => log.info({ orderId: '01922075-8837-7dc2-8123-412345678900', chargeId: 'ch_01922075-8837-7dc2-8123-412345678901', amount: 1999 }, 'payment captured')],
  ['error line', (log) => log.error({ err: Object.assign(new Error('connection reset'), { code: 'ECONNRESET' }) }, 'unhandled error')],
];

export function measure(make: (destination: Writable) => Logger, ms = 1_000) {
  const out: Record<string, number> = {};
  for (const [name, write] of LINES) {
    const log = make(sink()).child({ reqId: '01922075-8837-7dc2-8123-412345678902' });
    for (let i = 0; i < 2_000; i++) write(log); // warm up
    // CPU time, not wall time: the figure should not depend on what else the machine runs
    let n = 0;
    const start = process.cpuUsage();
    const cpuMs = () => { const u = process.cpuUsage(start); return (u.user + u.system) / 1000; };
    while (cpuMs() < ms) {
      for (let i = 0; i < 500; i++) write(log);
      n += 500;
    }
    out[name] = Math.round(n / (cpuMs() / 1000));
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = measure((destination) => createLogger({ service: 'bench', pretty: false, destination }));
  for (const [name, perSecond] of Object.entries(lines)) console.log(`${name.padEnd(18)} ${perSecond.toLocaleString('en')} lines/s`);
}
