import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BenchTarget {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('./serve-target.ts', import.meta.url));

/**
 * Starts the ceiling (bare Fastify hello world) or the all-in-one shop in a child process.
 * The child's stdout (request logs) is discarded but still written, so logging cost is measured.
 */
export function startBenchTarget(kind: 'hello' | 'shop', env: NodeJS.ProcessEnv = {}): Promise<BenchTarget> {
  const child = fork(SCRIPT, [kind], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the ${kind} server exited with code ${code} before it listened`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.once('message', (message: { url?: string }) => {
      child.off('exit', onExit);
      if (!message.url) return reject(new Error(`the ${kind} server sent no URL`));
      resolve({
        url: message.url,
        pid: child.pid,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => {
              clearTimeout(killer);
              done();
            });
            child.send('stop');
          }),
      });
    });
  });
}
