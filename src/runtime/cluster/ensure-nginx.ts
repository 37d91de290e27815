import { execFile, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx', '/usr/bin/nginx'];
const POLICY_RC_D = '/usr/sbin/policy-rc.d';

export const findNginx = (): string | undefined => CANDIDATES.find((p) => existsSync(p));

/**
 * nginx, installed from the Debian packages when missing (with the Brotli filter when the archive has
 * it). Installing Debian's nginx would start a system nginx on port 80 for all interfaces: service
 * starts are denied during the install with a policy-rc.d (as .ci/run does), removed again afterwards
 * unless it was there before.
 */
export async function ensureNginx(progress: (line: string) => void): Promise<string> {
  const found = findNginx();
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error('nginx is not installed and installing it needs root: run `sudo apt-get install nginx` (the cluster starts its own nginx; the system one may stay stopped)');
  if (spawnSync('apt-get', ['--version']).status !== 0) throw new Error('nginx is not installed and apt-get is not available: install nginx (1.18 or later) and run the cluster again');
  progress('installing nginx (apt-get install nginx)');
  const added = !existsSync(POLICY_RC_D);
  if (added) {
    writeFileSync(POLICY_RC_D, '#!/bin/sh\nexit 101\n');
    chmodSync(POLICY_RC_D, 0o755);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['update', '-qq'], { env, maxBuffer: 64 * 1024 * 1024 });
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'nginx'], { env, maxBuffer: 64 * 1024 * 1024 });
    // optional: JSON answers are gzipped without it
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'libnginx-mod-http-brotli-filter'], { env, maxBuffer: 64 * 1024 * 1024 }).catch(() => progress('the Brotli module is not available: gzip only'));
  } finally {
    if (added) rmSync(POLICY_RC_D, { force: true });
  }
  const installed = findNginx();
  if (!installed) throw new Error('apt-get installed nginx but no nginx binary was found in /usr/sbin');
  return installed;
}

/** `nginx -t` on a rendered configuration: its own message when it is refused */
export async function testNginxConfig(nginx: string, prefix: string, conf: string): Promise<void> {
  try {
    await run(nginx, ['-t', '-q', '-p', prefix, '-c', conf, '-e', `${prefix}/nginx-test-error.log`]);
  } catch (err) {
    const { stderr } = err as { stderr?: string };
    throw new Error(`nginx refused the configuration ${conf}:\n${stderr ?? String(err)}`);
  }
}
