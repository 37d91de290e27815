import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createFakePspServer } from './fake-psp-server.js';

export interface RunningFakePsp {
  url: string;
  /** GET /_stats, for tests that prove "no double capture" */
  stats(): Promise<{ captures: number; declines: number; refunds: number; capturesByKey: Record<string, number> }>;
  close(): Promise<void>;
}

/** The fake PSP listening on a real port (ephemeral by default), as tests and all-in-one need it. */
export async function startFakePsp({ logger, slowMs, host = '127.0.0.1', port = 0 }: { logger: Logger; slowMs?: number; host?: string; port?: number }): Promise<RunningFakePsp> {
  const app = await createFakePspServer({ logger, ...(slowMs !== undefined ? { slowMs } : {}) });
  await app.listen({ host, port });
  const url = `http://${host}:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    stats: async () => (await fetch(`${url}/_stats`)).json() as ReturnType<RunningFakePsp['stats']>,
    close: () => app.close(),
  };
}
