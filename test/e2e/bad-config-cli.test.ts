import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { currentBuildDir } from '../support/current-build.js';

const BIN = fileURLToPath(new URL('../../bin/floodgate.js', import.meta.url));
// a current dist/ starts in a fraction of tsx's time; a stale one would add bin's "older than src/" line to
// stderr, so then no build at all (FLOODGATE_BUILD_DIR without a BUILD_STAMP): the sources through tsx
const BUILD_DIR = currentBuildDir() ?? '.no-build';

/** runs the CLI with `env` on top of a clean environment and collects how it ended */
function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      // FLOODGATE_BUILD_DIR: a current build or none, so stderr holds only the CLI's own line
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', FLOODGATE_DATA_DIR: '/nonexistent/never-created', FLOODGATE_BUILD_DIR: BUILD_DIR, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr, stdout }));
  });
}

describe('floodgate with a bad environment', () => {
  it('when a variable is missing its pair or malformed, then the process exits non-zero with one line naming it and what it expects, before opening anything', { timeout: 300_000 }, async () => {
    const cases: Array<{ args: string[]; env: Record<string, string>; line: RegExp }> = [
      { args: ['start'], env: { AMQP_URL: 'http://guest:s3cret@rabbit:5672' }, line: /^floodgate: invalid configuration: AMQP_URL: the scheme is not amqp:\/\/ or amqps:\/\/; expected a URL such as amqp:\/\/user:pass@host:5672\/vhost$/ },
      { args: ['start'], env: { DATABASE_REPLICA_URLS: 'postgres://app:s3cret@replica:5432/shop' }, line: /^floodgate: invalid configuration: DATABASE_REPLICA_URLS: replicas need their primary; set DATABASE_URL too/ },
      { args: ['start'], env: { DATABASE_URL: 'postgres://app:s3cret@db/shop', DATABASE_REPLICA_URLS: 'not a url s3cret' }, line: /^floodgate: invalid configuration: DATABASE_REPLICA_URLS: entry 1: not a URL; expected comma-separated URLs/ },
      { args: ['migrate'], env: { PORT: 'eighty' }, line: /^floodgate: invalid configuration: PORT: expected a whole number from 0 to 65535$/ },
      { args: ['serve', 'fake-psp'], env: { FLOODGATE_ADMIN_EMAIL: 'admin@example.com' }, line: /^floodgate: invalid configuration: FLOODGATE_ADMIN_EMAIL and FLOODGATE_ADMIN_PASSWORD: set both, or neither\.$/ },
      { args: ['start'], env: { FLOODGATE_WORKERS: 'payments,cron' }, line: /^floodgate: invalid configuration: FLOODGATE_WORKERS: expected all, none or a comma-separated list of outbox-relays, payments, reservation-expiry, sweepers$/ },
      { args: ['worker', 'all'], env: {}, line: /^floodgate: DATABASE_URL is required by `floodgate worker`: the embedded database belongs to the one process that opened it$/ },
      { args: ['worker', 'payments'], env: { DATABASE_URL: 'postgres://app:s3cret@127.0.0.1:1/shop' }, line: /^floodgate: FLOODGATE_PSP_URL is required by `floodgate worker payments`/ },
      { args: ['dlq', 'list', 'payments.record-placed-order'], env: {}, line: /^floodgate: AMQP_URL is required by `floodgate dlq`: dead-letter queues exist only with events on RabbitMQ/ },
    ];
    // three at a time: each is a Node process loading the whole CLI (through tsx without a build), on a machine other suites share
    const results: Array<Awaited<ReturnType<typeof runCli>>> = [];
    for (let i = 0; i < cases.length; i += 3) results.push(...(await Promise.all(cases.slice(i, i + 3).map((c) => runCli(c.args, c.env)))));
    results.forEach((result, i) => {
      const { line, env } = cases[i]!;
      expect(result.code, JSON.stringify(env)).not.toBe(0);
      expect(result.code).not.toBeNull();
      expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr.trimEnd()).toMatch(line);
      expect(result.stderr + result.stdout).not.toContain('s3cret');
      expect(result.stdout).toBe('');
    });
  });
});
