import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterEntry } from '../../src/runtime/cluster/start-cluster.js';
import { GENEROUS_LIMITS_ENV } from './test-limits.js';

const MAIN = fileURLToPath(new URL('../../src/runtime/cluster/cluster-main.ts', import.meta.url));
const OUTPUT_LIMIT = 50_000;

export interface ClusterProcess {
  /** nginx's public address */
  url: string;
  /** every process it started (cluster.json) */
  entries: ClusterEntry[];
  output(): string;
  /** SIGTERM to the cluster, and its exit code */
  stop(): Promise<number | null>;
  /** SIGKILL to the cluster and to every process it started (test cleanup) */
  kill(): Promise<void>;
}

/** Runs `npm run cluster -- <args>` (the real command, in the foreground) and resolves once it wrote cluster.json. */
export async function startClusterProcess({ args, env, timeoutMs }: { args: string[]; env: Record<string, string>; timeoutMs: number }): Promise<ClusterProcess> {
  const dir = args[args.indexOf('--dir') + 1]!;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...process.env, ...GENEROUS_LIMITS_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-OUTPUT_LIMIT));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const state = join(dir, 'cluster.json');
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(state)) {
    if (child.exitCode !== null) throw new Error(`the cluster exited while starting (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGINT');
      await exited;
      throw new Error(`the cluster was not ready within ${timeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const { url, processes } = JSON.parse(readFileSync(state, 'utf8')) as { url: string; processes: ClusterEntry[] };
  return {
    url,
    entries: processes,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      for (const e of processes) {
        try {
          process.kill(e.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
