import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './private-postgres.js';
import { QUICK_STOP_ENV } from './shop-process.js';

const BIN = fileURLToPath(new URL('../../bin/floodgate.js', import.meta.url));

export interface WorkerProcess extends AsyncDisposable {
  url: string;
  stop(): Promise<number | null>;
  output(): string;
}

/** Runs `floodgate worker <groups…>` as a child process and resolves once its /readyz answers 200. */
export async function startWorkerProcess(groups: string[], env: Record<string, string>): Promise<WorkerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'worker', ...groups], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', LOG_FORMAT: 'json', ...QUICK_STOP_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-50_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`worker exited early (${child.exitCode}):\n${output}`);
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status === 200, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`worker did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return { url, stop, output: () => output, [Symbol.asyncDispose]: async () => void (await stop()) };
}
