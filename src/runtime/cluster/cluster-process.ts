import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
}

export interface ClusterChild {
  name: string;
  pid: number;
  logFile: string;
  child: ChildProcess;
  /** code or signal, once it is gone */
  exited: Promise<string>;
  alive(): boolean;
  /** the signal, then SIGKILL if it is still running after `graceMs` */
  stop(signal: NodeJS.Signals, graceMs: number): Promise<string>;
  /** the end of its log: why it died */
  tail(lines?: number): string;
}

/** Starts a process with stdout and stderr appended to its log file (the cluster keeps every log in one folder). */
export function startChild(spec: ChildSpec): ClusterChild {
  const fd = openSync(spec.logFile, 'a');
  const child = spawn(spec.command, spec.args, { env: spec.env, stdio: ['ignore', fd, fd] });
  // the child has its own copy of the descriptor
  closeSync(fd);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit code ${code}`));
    // spawn failed (no such binary): there will be no exit event
    child.once('error', (err) => resolve(`could not start: ${err.message}`));
  });
  const alive = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  return {
    name: spec.name,
    pid: child.pid ?? -1,
    logFile: spec.logFile,
    child,
    exited,
    alive,
    async stop(signal, graceMs) {
      if (alive()) child.kill(signal);
      const killer = setTimeout(() => alive() && child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(killer);
      }
    },
    tail(lines = 15) {
      try {
        return readFileSync(spec.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
  };
}

/**
 * Polls `url` until it answers 200. Rejects with the process's own last words when it exits first,
 * or when `timeoutMs` passes.
 */
export async function waitUntilReady(child: ClusterChild, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: string | undefined;
  void child.exited.then((how) => (exit = how));
  for (;;) {
    if (exit !== undefined || !child.alive()) {
      throw new Error(`${child.name} (pid ${child.pid}) stopped while starting (${exit ?? await child.exited}); the end of ${child.logFile}:\n${child.tail()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${child.name} (pid ${child.pid}) was not ready on ${url} within ${timeoutMs / 1000} s; the end of ${child.logFile}:\n${child.tail()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
