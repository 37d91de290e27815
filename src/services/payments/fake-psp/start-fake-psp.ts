import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createFakePspServer } from './fake-psp-server.js';

export interface RunningFakePsp {
  url: string;
  port: number;
  /** GET /_stats, for tests that prove "no double capture" */
  stats(): Promise<{ captures: number; declines: number; refunds: number; capturesByKey: Record<string, number> }>;
  close(): Promise<void>;
}

/** The fake PSP listening on a real port (ephemeral by default), as tests and all-in-one need it. */
export async function startFakePsp({ logger, slowMs, ledgerFile, host = '127.0.0.1', port = 0 }: { logger: Logger; slowMs?: number; ledgerFile?: string; host?: string; port?: number }): Promise<RunningFakePsp> {
  const app = await createFakePspServer({ logger, ...(slowMs !== undefined ? { slowMs } : {}), ...(ledgerFile ? { ledgerFile } : {}) });
  await app.listen({ host, port });
  const actualPort = (app.server.address() as AddressInfo).port;
  const url = `http://${host}:${actualPort}`;
  return {
    url,
    port: actualPort,
    stats: async () => (await fetch(`${url}/_stats`)).json() as ReturnType<RunningFakePsp['stats']>,
    close: () => app.close(),
  };
}
