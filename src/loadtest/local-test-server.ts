import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defineScenario, type AnyScenario } from './scenario.js';

/** for the runner's own tests: a plain node:http server that answers after `delayMs` and counts what it received */
export interface LocalTestServer {
  url: string;
  /** requests received so far (counted when they arrive, not when answered) */
  received: number;
  close(): Promise<void>;
}

export async function startLocalTestServer(options: { delayMs: number; status?: (n: number) => number }): Promise<LocalTestServer> {
  const state = { received: 0 };
  const server: Server = createServer((req, res) => {
    state.received += 1;
    const n = state.received;
    req.resume();
    setTimeout(() => {
      res.writeHead(options.status?.(n) ?? 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ n }));
    }, options.delayMs);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get received() {
      return state.received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** a one-request-per-arrival scenario at a constant rate, for driving the runner in tests */
export function constantRateScenario(rps: number, durationSec: number): AnyScenario {
  return defineScenario({
    name: 'constant',
    description: `GET /ping at ${rps}/s for ${durationSec} s`,
    steps: ['ping'],
    phases: () => [{ name: 'steady', durationSec, fromRate: rps, toRate: rps }],
    setup: async () => undefined,
    flow: async (vu) => {
      await vu.request('ping', { method: 'GET', path: '/ping' });
    },
    checks: async () => [{ name: 'test scenario ran', status: 'passed', detail: 'nothing to check' }],
  });
}
