import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './private-postgres.js';

/**
 * A redis-server of our own (temp dir, free port, no persistence) that a fault test may flush, kill and restart.
 * Fault tests never touch the shared Redis at 127.0.0.1:6379.
 *
 *   await using redis = await startPrivateRedis();
 *   const connection = createRedisConnection({ url: redis.url, name: 'test', logger });
 *   await redis.kill(); … await redis.restart();   // same port, empty: nothing is saved
 */
export interface PrivateRedis {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly baseDir: string;
  /** the server's pid while it runs */
  readonly pid: number | undefined;
  /** FLUSHALL: every key is gone, the server and its connections stay */
  flush(): Promise<void>;
  /** SIGKILL: connections drop, the port refuses, the data is lost (no persistence) */
  kill(): Promise<void>;
  /** starts again on the same port after kill() or stop(), empty */
  restart(): Promise<void>;
  /** SIGSTOP: connections stay open and connects are accepted by the kernel, but nothing answers (a hung server) */
  freeze(): void;
  /** SIGCONT what freeze() stopped */
  thaw(): void;
  /** shuts the server down (SIGKILL; there is nothing to save), waits for its exit and removes its temp dir */
  stop(): Promise<void>;
  /** one command over a fresh socket, for tests that look inside (DBSIZE, KEYS …); the raw reply line */
  command(...args: string[]): Promise<string>;
  log(): string;
  [Symbol.asyncDispose](): Promise<void>;
}

const BINARY = process.env.REDIS_SERVER_BIN ?? 'redis-server';

/** True when redis-server runs here. Like serviceAvailable(): under CI=true its absence is an error. */
export function privateRedisAvailable(): boolean {
  try {
    execFileSync(BINARY, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    const message = `${BINARY} was not found (set REDIS_SERVER_BIN)`;
    if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it`);
    console.warn(`\n[floodgate tests] SKIPPING private-Redis tests: ${message}.\n`);
    return false;
  }
}

/** sends one command in RESP and answers the first reply line ('+OK', ':3', '-ERR …'); bulk replies are not parsed */
function sendCommand(port: number, args: string[], timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis on port ${port} did not answer ${args[0]} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\r\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(buffer.slice(0, end));
    });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const baseDir = mkdtempSync(join(tmpdir(), 'floodgate-redis-'));
  const logFile = join(baseDir, 'redis.log');
  const port = await freePort();
  let child: ChildProcess | undefined;

  const exited = (proc: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });

  const start = async () => {
    // stop() removed it; a restart after stop() makes it again
    mkdirSync(baseDir, { recursive: true });
    const proc = spawn(
      BINARY,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', baseDir, '--logfile', logFile, '--daemonize', 'no'],
      { stdio: 'ignore' },
    );
    child = proc;
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    // ready when it answers PING; a deadline, not a sleep
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode} on port ${port}:\n${log()}`);
      const pong = await sendCommand(port, ['PING'], 500).catch(() => '');
      if (pong === '+PONG') return;
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within 10 s:\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const kill = async () => {
    const proc = child;
    child = undefined;
    if (!proc) return;
    proc.kill('SIGCONT');
    proc.kill('SIGKILL');
    await exited(proc);
  };
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');

  try {
    await start();
  } catch (err) {
    await kill();
    rmSync(baseDir, { recursive: true, force: true });
    throw err;
  }

  const command = async (...args: string[]) => sendCommand(port, args);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    baseDir,
    get pid() {
      return child?.pid;
    },
    async flush() {
      const reply = await command('FLUSHALL');
      if (reply !== '+OK') throw new Error(`FLUSHALL answered ${reply}`);
    },
    kill,
    freeze() {
      if (!child) throw new Error('the private Redis is not running');
      child.kill('SIGSTOP');
    },
    thaw() {
      child?.kill('SIGCONT');
    },
    async restart() {
      await kill();
      await start();
    },
    // the temp dir goes too: a test that only stops its server (afterAll) left one behind per run
    async stop() {
      await kill();
      rmSync(baseDir, { recursive: true, force: true });
    },
    command,
    log,
    async [Symbol.asyncDispose]() {
      await kill();
      rmSync(baseDir, { recursive: true, force: true });
    },
  };
}
