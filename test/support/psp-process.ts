import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './private-postgres.js';

const BIN = fileURLToPath(new URL('../../bin/floodgate.js', import.meta.url));

/**
 * Where `floodgate serve fake-psp` keeps its ledger so that a kill -9 and a restart keep every
 * capture: the proof of "at most one capture per idempotency key" must span the PSP's own crash.
 */
export const PSP_LEDGER_ENV = 'FAKE_PSP_LEDGER_FILE';

export interface PspStats {
  captures: number;
  declines: number;
  refunds: number;
  capturesByKey: Record<string, number>;
}

/** The fake PSP as its own OS process, so a test can kill -9 it, freeze it and start it again. */
export interface PspProcess extends AsyncDisposable {
  url: string;
  port: number;
  /** SIGKILL, and wait until it is gone */
  kill(): Promise<void>;
  /** start again on the same port with the same ledger */
  restart(): Promise<void>;
  /** SIGSTOP: connections are accepted by the kernel and never answered */
  freeze(): void;
  thaw(): void;
  stats(): Promise<PspStats>;
  alive(): boolean;
  output(): string;
  dispose(): Promise<void>;
}

const OUTPUT_LIMIT = 20_000;

/** `port` may be chosen ahead, so the shop can be told the PSP's address while both start. */
export async function startPspProcess({ port: chosenPort, env = {} }: { port?: number; env?: Record<string, string> } = {}): Promise<PspProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'floodgate-psp-'));
  const port = chosenPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  const spawnPsp = async () => {
    const proc = spawn(process.execPath, [BIN, 'serve', 'fake-psp'], {
      env: { ...process.env, HOST: '127.0.0.1', FAKE_PSP_PORT: String(port), LOG_LEVEL: 'warn', LOG_FORMAT: 'json', [PSP_LEDGER_ENV]: join(dir, 'ledger'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-OUTPUT_LIMIT));
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    child = proc;
    // a busy 2-core machine can take tens of seconds to start node + tsx
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`fake PSP exited early (${proc.exitCode ?? proc.signalCode}):\n${output}`);
      try {
        if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) })).status === 200) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`fake PSP did not answer /healthz within 60 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const alive = () => Boolean(child && child.exitCode === null && child.signalCode === null);
  const kill = async () => {
    if (alive()) child!.kill('SIGKILL'); // SIGKILL also ends a stopped process
    await exited;
  };
  const dispose = async () => {
    await kill();
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await spawnPsp();
  } catch (err) {
    await dispose();
    throw err;
  }
  return {
    url,
    port,
    kill,
    restart: spawnPsp,
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    async stats() {
      const res = await fetch(`${url}/_stats`, { signal: AbortSignal.timeout(5_000) });
      if (res.status !== 200) throw new Error(`fake PSP /_stats answered ${res.status}`);
      return (await res.json()) as PspStats;
    },
    alive,
    output: () => output,
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}
