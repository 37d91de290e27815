import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const NGINX_TEMPLATE = fileURLToPath(new URL('../../../deploy/nginx/floodgate.conf.template', import.meta.url));

/** Debian's libnginx-mod-http-brotli-filter; nginx itself ships gzip only */
export const BROTLI_MODULE = '/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so';

export interface UpstreamServer {
  host: string;
  port: number;
}

export interface NginxSettings {
  stateDir: string;
  logDir: string;
  listen: string;
  internalListen: string;
  /** nginx upstream name (floodgate_catalog …) → its instances */
  upstreams: Record<string, UpstreamServer[]>;
  /** e.g. 50r/s */
  catalogReadRate: string;
  catalogReadBurst: number;
  /** addresses whose X-Forwarded-For is believed (a load generator in front); none at the edge */
  trustForwardedFrom?: string[];
  /** load the Brotli filter; default: when its module file is installed */
  brotli?: boolean;
}

const upstreamBlock = (name: string, servers: UpstreamServer[]) =>
  [
    `  upstream ${name} {`,
    // one failure (refused, reset, 502/504) takes an instance out for 5 s; nginx tries it again after that
    ...servers.map((s) => `    server ${s.host}:${s.port} max_fails=1 fail_timeout=5s;`),
    '    keepalive 32;',
    // below the app's HTTP_KEEP_ALIVE_TIMEOUT_MS (72 s): nginx closes an idle connection before the app does
    '    keepalive_timeout 60s;',
    '  }',
  ].join('\n');

/** Fills deploy/nginx/floodgate.conf.template; every placeholder must be filled, none may be left over. */
export function renderNginxConfig(template: string, s: NginxSettings): string {
  const brotli = s.brotli ?? existsSync(BROTLI_MODULE);
  if (!/^\d+r\/[sm]$/.test(s.catalogReadRate)) throw new Error(`catalog read rate: expected <n>r/s or <n>r/m, got ${s.catalogReadRate}`);
  for (const [name, servers] of Object.entries(s.upstreams)) {
    if (servers.length === 0) throw new Error(`nginx upstream ${name} has no server`);
  }
  const values: Record<string, string> = {
    load_modules: brotli ? `load_module ${BROTLI_MODULE};` : '',
    state_dir: s.stateDir,
    log_dir: s.logDir,
    listen: s.listen,
    internal_listen: s.internalListen,
    upstreams: Object.entries(s.upstreams).map(([name, servers]) => upstreamBlock(name, servers)).join('\n\n'),
    brotli: brotli ? 'brotli on;\n  brotli_types application/json application/problem+json;\n  brotli_min_length 1024;' : '',
    catalog_read_rate: s.catalogReadRate,
    catalog_read_burst: String(s.catalogReadBurst),
    real_ip: s.trustForwardedFrom?.length
      ? [...s.trustForwardedFrom.map((a) => `set_real_ip_from ${a};`), 'real_ip_header X-Forwarded-For;', 'real_ip_recursive on;'].join('\n  ')
      : '',
  };
  // the header comment names every placeholder too: fill only below it
  const bodyStart = template.search(/^\{\{load_modules\}\}$/m);
  if (bodyStart < 0) throw new Error('nginx template: no {{load_modules}} line where the configuration starts');
  const head = template.slice(0, bodyStart);
  const body = template.slice(bodyStart).replace(/\{\{([a-z_]+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`nginx template: unknown placeholder ${whole}`);
    return value;
  });
  return head + body;
}

export const readNginxTemplate = () => readFile(NGINX_TEMPLATE, 'utf8');
