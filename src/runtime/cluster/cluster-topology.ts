import { UNUSED_BY_DOCS } from '../../config.js';
import { WORKER_GROUP_NAMES } from '../worker-groups.js';

/** The services nginx routes to by path, each its own upstream (deploy/nginx/floodgate.conf.template). */
export const CLUSTER_SERVICES = ['catalog', 'customers', 'carts', 'inventory', 'orders', 'payments', 'flash-sales'] as const;
export type ClusterService = (typeof CLUSTER_SERVICES)[number];

/** floodgate_catalog, floodgate_flash_sales …: the upstream names the template's routing map uses */
export const upstreamOf = (service: ClusterService) => `floodgate_${service.replace(/-/g, '_')}`;
export const DEFAULT_UPSTREAM = 'floodgate_default';

/** What each service's instances run: that service alone (`floodgate serve <service>`), calling the others over HTTP. */
export const SERVICE_COMMANDS: Record<ClusterService, string[]> = Object.fromEntries(CLUSTER_SERVICES.map((s) => [s, ['serve', s]])) as Record<ClusterService, string[]>;

/**
 * The default upstream: what no service owns — the OpenAPI document of the whole API and its /docs page, the
 * all-in-one's document. `floodgate serve docs` serves it without a database, broker or jobs (every API
 * operation answers 404 there); nginx routes nothing else to it.
 */
export const DEFAULT_COMMAND = ['serve', 'docs'];

export interface ProcessSpec {
  /** unique: catalog-1, worker-payments, fake-psp */
  name: string;
  kind: 'api' | 'worker' | 'psp';
  /** arguments of bin/floodgate.js */
  args: string[];
  /** on top of the cluster's own environment */
  env: Record<string, string>;
  /** variables of the cluster's own environment this process is not given (secrets it never reads) */
  unset?: readonly string[];
  port: number;
  /** 200 here means ready */
  readyPath: string;
  /** the nginx upstream this process is an instance of */
  upstream?: string;
}

export interface TopologyOptions {
  instances: Record<ClusterService, number>;
  /** a worker process per group (production-like), or one `floodgate worker all` (lighter) */
  workers: 'per-group' | 'one';
  /** gives the next port to listen on */
  nextPort: () => number;
  /** where service-to-service calls go: nginx's internal listener, which balances over the upstreams */
  internalUrl: string;
  /** the fake PSP's ledger file: captures survive a PSP restart */
  pspLedgerFile: string;
}

/** processes a topology has: the caller fetches that many free ports when it asks the OS for them */
export const processCount = (o: Pick<TopologyOptions, 'instances' | 'workers'>) =>
  2 + Object.values(o.instances).reduce((a, b) => a + b, 0) + (o.workers === 'one' ? 1 : WORKER_GROUP_NAMES.length);

/** `CATALOG_URL`, `FLASH_SALES_URL` …: what `floodgate serve <service>` reads to call the others */
export function serviceUrls(internalUrl: string): Record<string, string> {
  return Object.fromEntries(CLUSTER_SERVICES.map((s) => [`${s.toUpperCase().replace(/-/g, '_')}_URL`, internalUrl]));
}

/**
 * The cluster as data: one entry per process, in start order (the PSP first: everything charges through
 * it). The environment every process shares (database, Redis, RabbitMQ, keys) is added by the caller.
 */
export function planCluster(o: TopologyOptions): ProcessSpec[] {
  const psp: ProcessSpec = { name: 'fake-psp', kind: 'psp', args: ['serve', 'fake-psp', '--ledger', o.pspLedgerFile], env: {}, port: o.nextPort(), readyPath: '/healthz' };
  psp.env = { FAKE_PSP_PORT: String(psp.port) };
  const pspUrl = `http://127.0.0.1:${psp.port}`;
  const withPort = (spec: Omit<ProcessSpec, 'port'>): ProcessSpec => {
    const port = o.nextPort();
    return { ...spec, port, env: { ...spec.env, PORT: String(port), FLOODGATE_PSP_URL: pspUrl } };
  };
  const apis = CLUSTER_SERVICES.flatMap((service) => {
    const count = o.instances[service];
    if (!Number.isInteger(count) || count < 1) throw new Error(`${service}: at least one instance (got ${count})`);
    return Array.from({ length: count }, (_, i) =>
      withPort({
        name: `${service}-${i + 1}`,
        kind: 'api',
        args: SERVICE_COMMANDS[service],
        env: { FLOODGATE_WORKERS: 'none', ...serviceUrls(o.internalUrl) },
        readyPath: '/readyz',
        upstream: upstreamOf(service),
      }),
    );
  });
  // no database, broker, Redis or keys: the document server is handed none of them
  const docs = withPort({ name: 'docs-1', kind: 'api', args: DEFAULT_COMMAND, env: {}, unset: UNUSED_BY_DOCS, readyPath: '/readyz', upstream: DEFAULT_UPSTREAM });
  const groups = o.workers === 'one' ? [['all']] : WORKER_GROUP_NAMES.map((g) => [g]);
  const workers = groups.map((g) => withPort({ name: `worker-${g.join('-')}`, kind: 'worker', args: ['worker', ...g], env: {}, readyPath: '/readyz' }));
  return [psp, ...apis, docs, ...workers];
}

/** nginx upstream name → its instances */
export function upstreamsOf(specs: readonly ProcessSpec[]): Record<string, Array<{ host: string; port: number }>> {
  const upstreams: Record<string, Array<{ host: string; port: number }>> = {};
  for (const spec of specs) {
    if (spec.upstream) (upstreams[spec.upstream] ??= []).push({ host: '127.0.0.1', port: spec.port });
  }
  return upstreams;
}
