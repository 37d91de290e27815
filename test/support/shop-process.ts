import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GENEROUS_LIMITS_ENV } from './test-limits.js';

const BIN = fileURLToPath(new URL('../../bin/floodgate.js', import.meta.url));

// the tail is what explains a failure; a PSP outage can log thousands of lines
const OUTPUT_LIMIT = 50_000;

/**
 * On SIGTERM a process keeps idle keep-alive connections open SHUTDOWN_IDLE_GRACE_MS (1 s) for their
 * clients to notice the drain; a test's own fetch pool is such a client, so every stop() waited it out.
 * Tests about the drain set their own (graceful-shutdown.test.ts).
 */
export const QUICK_STOP_ENV: Record<string, string> = { SHUTDOWN_IDLE_GRACE_MS: '100' };

export interface ShopProcess extends AsyncDisposable {
  url: string;
  child: ChildProcess;
  /** SIGKILL: no draining, no cleanup — a crash */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit */
  stop(): Promise<number | null>;
  /** true until the process exits, whatever ended it */
  alive(): boolean;
  /** the last part of its stdout and stderr */
  output(): string;
}

/**
 * Runs `floodgate start` (or the command in `args`, e.g. `serve catalog`) as a real child process and
 * resolves once it answers /readyz.
 */
export async function startShopProcess(env: Record<string, string>, port: number, args: string[] = ['start', '--no-seed'], { readyTimeoutMs = 60_000 } = {}): Promise<ShopProcess> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', LOG_FORMAT: 'json', ...GENEROUS_LIMITS_ENV, ...QUICK_STOP_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-OUTPUT_LIMIT));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`${args.join(' ')} exited early (${child.exitCode ?? child.signalCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) })).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const kill = async () => {
    if (alive()) child.kill('SIGKILL');
    await exited;
  };
  return {
    url,
    child,
    kill,
    async stop() {
      if (alive()) child.kill('SIGTERM');
      return exited;
    },
    alive,
    output: () => output,
    [Symbol.asyncDispose]: kill,
  };
}
