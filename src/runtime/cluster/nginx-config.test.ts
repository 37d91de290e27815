import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { planCluster, upstreamsOf, CLUSTER_SERVICES, type ClusterService } from './cluster-topology.js';
import { findNginx, testNginxConfig } from './ensure-nginx.js';
import { readNginxTemplate, renderNginxConfig, type NginxSettings } from './nginx-config.js';

const run = promisify(execFile);
const NGINX = findNginx();
if (!NGINX) {
  if (process.env.CI === 'true') throw new Error('nginx is not installed; CI=true requires it (bash .ci/run installs it)');
  console.warn('\n[floodgate tests] SKIPPING nginx -t checks: nginx is not installed (apt-get install nginx, or run `npm run cluster` once).\n');
}

const instances = Object.fromEntries(CLUSTER_SERVICES.map((s) => [s, s === 'catalog' || s === 'flash-sales' ? 2 : 1])) as Record<ClusterService, number>;
let port = 20_000;
const specs = planCluster({ instances, workers: 'per-group', nextPort: () => port++, internalUrl: 'http://127.0.0.1:8090', pspLedgerFile: '/tmp/ledger' });
const settings = (dir: string, extra: Partial<NginxSettings> = {}): NginxSettings => ({
  stateDir: dir,
  logDir: dir,
  listen: '127.0.0.1:8080',
  internalListen: '127.0.0.1:8090',
  upstreams: upstreamsOf(specs),
  catalogReadRate: '50r/s',
  catalogReadBurst: 100,
  ...extra,
});

describe('the nginx configuration (deploy/nginx/floodgate.conf.template)', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('when it is rendered for the cluster, then every placeholder is filled and each service has its upstream with its instances', async () => {
    const conf = renderNginxConfig(await readNginxTemplate(), settings('/tmp/x', { brotli: false }));
    const body = conf.slice(conf.indexOf('worker_processes'));
    expect(body).not.toMatch(/\{\{/);
    for (const service of CLUSTER_SERVICES) expect(body).toContain(`upstream floodgate_${service.replace('-', '_')} {`);
    expect(body.match(/upstream floodgate_catalog \{[^}]*\}/)![0].match(/server 127\.0\.0\.1:\d+ max_fails=1 fail_timeout=5s;/g)).toHaveLength(2);
    expect(body).not.toContain('brotli');
    expect(body).toContain('rate=50r/s');
  });

  it('when the rate is not an nginx rate, then rendering refuses it naming the setting', async () => {
    expect(() => renderNginxConfig('{{load_modules}}\n', settings('/tmp/x', { catalogReadRate: 'fast' }))).toThrow(/catalog read rate/);
  });

  it('when the template names a placeholder nobody fills, then rendering fails instead of shipping it', () => {
    expect(() => renderNginxConfig('{{load_modules}}\nlisten {{nope}};\n', settings('/tmp/x'))).toThrow(/unknown placeholder \{\{nope\}\}/);
  });

  describe.skipIf(!NGINX)('with nginx installed', () => {
    for (const brotli of [false, true]) {
      it(`when nginx -t checks the rendered configuration${brotli ? ' with the Brotli module' : ''}, then it is accepted`, async () => {
        const dir = await mkdtemp(join(tmpdir(), 'floodgate-nginx-'));
        dirs.push(dir);
        const conf = join(dir, 'nginx.conf');
        await writeFile(conf, renderNginxConfig(await readNginxTemplate(), settings(dir, { brotli, trustForwardedFrom: ['127.0.0.1'] })));
        await expect(testNginxConfig(NGINX!, dir, conf)).resolves.toBeUndefined();
      });
    }

    it('when the configuration is broken, then the check fails with nginx\'s own message', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'floodgate-nginx-'));
      dirs.push(dir);
      const conf = join(dir, 'nginx.conf');
      await writeFile(conf, renderNginxConfig(await readNginxTemplate(), settings(dir, { brotli: false })).replace('limit_req_status 429;', 'limit_req_status banana;'));
      await expect(testNginxConfig(NGINX!, dir, conf)).rejects.toThrow(/limit_req_status/);
    });

    it('when nginx is asked for its version, then it is 1.18 or later (keepalive_timeout in upstreams, -e)', async () => {
      const { stderr } = await run(NGINX!, ['-v']);
      const [major, minor] = stderr.match(/nginx\/(\d+)\.(\d+)/)!.slice(1).map(Number) as [number, number];
      expect(major * 100 + minor).toBeGreaterThanOrEqual(119);
    });
  });
});
