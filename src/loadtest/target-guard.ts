import { isIP } from 'node:net';

/**
 * This runner only ever loads the machine it runs on: a load test aimed at someone else's host is an
 * attack. Accepts http(s) URLs whose host is localhost, an IPv4 address in 127.0.0.0/8, or ::1.
 */
export function assertLoopbackTarget(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new Error(`--target "${target}" is not a URL; use e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--target must be an http:// or https:// URL, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new Error('--target must not carry credentials; pass admin credentials with --admin-email/--admin-password');
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new Error(
      `Refusing to load ${url.hostname}: the load-test runner only targets this machine ` +
        '(localhost, 127.0.0.0/8 or ::1). Run it on the host you want to load.',
    );
  }
  return url;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}
