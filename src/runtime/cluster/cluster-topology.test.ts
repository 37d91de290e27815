import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { WORKER_GROUP_NAMES } from '../worker-groups.js';
import { CLUSTER_SERVICES, planCluster, processCount, upstreamsOf, type ClusterService } from './cluster-topology.js';
import { readNginxTemplate } from './nginx-config.js';

const instances = (extra: Partial<Record<ClusterService, number>> = {}) => ({ ...(Object.fromEntries(CLUSTER_SERVICES.map((s) => [s, 1])) as Record<ClusterService, number>), ...extra });
const plan = (o: Partial<Parameters<typeof planCluster>[0]> = {}) => {
  let port = 9_000;
  return planCluster({ instances: instances({ catalog: 2, 'flash-sales': 2 }), workers: 'per-group', nextPort: () => port++, internalUrl: 'http://127.0.0.1:8999', pspLedgerFile: '/tmp/ledger', ...o });
};

/** the template's routing map as [regex, upstream] pairs, in order (nginx tries map regexes in order) */
async function routingMap(): Promise<Array<[RegExp, string]>> {
  const template = await readNginxTemplate();
  const block = template.slice(template.indexOf('map $uri $floodgate_upstream {'), template.indexOf('default                                            floodgate_default;'));
  return [...block.matchAll(/^\s*"~(.+?)"\s+(floodgate_[a-z_]+);$/gm)].map((m) => [new RegExp(m[1]!), m[2]!]);
}
const routeOf = (map: Array<[RegExp, string]>, path: string) => map.find(([re]) => re.test(path))?.[1] ?? 'floodgate_default';

describe('the cluster topology', () => {
  it('when the default cluster is planned, then the PSP comes first, catalog and flash-sales have two instances, one worker per group, every port and name once', () => {
    const specs = plan();
    expect(specs[0]!.name).toBe('fake-psp');
    expect(specs.filter((s) => s.upstream === 'floodgate_catalog').map((s) => s.name)).toEqual(['catalog-1', 'catalog-2']);
    expect(specs.filter((s) => s.upstream === 'floodgate_flash_sales')).toHaveLength(2);
    expect(specs.filter((s) => s.kind === 'worker').map((s) => s.args)).toEqual(WORKER_GROUP_NAMES.map((g) => ['worker', g]));
    expect(new Set(specs.map((s) => s.port)).size).toBe(specs.length);
    expect(new Set(specs.map((s) => s.name)).size).toBe(specs.length);
    expect(specs).toHaveLength(processCount({ instances: instances({ catalog: 2, 'flash-sales': 2 }), workers: 'per-group' }));
  });

  it('when an API instance is planned, then it runs no jobs, charges through the PSP, listens on its port and knows every service URL', () => {
    const specs = plan();
    const catalog = specs.find((s) => s.name === 'catalog-2')!;
    expect(catalog.env).toMatchObject({ FLOODGATE_WORKERS: 'none', PORT: String(catalog.port), FLOODGATE_PSP_URL: `http://127.0.0.1:${specs[0]!.port}`, FLASH_SALES_URL: 'http://127.0.0.1:8999', CATALOG_URL: 'http://127.0.0.1:8999' });
    expect(catalog.readyPath).toBe('/readyz');
  });

  it('when the docs process is planned, then it runs `serve docs` and is handed no database, broker, Redis or key', () => {
    const docs = plan().find((s) => s.name === 'docs-1')!;
    expect(docs.args).toEqual(['serve', 'docs']);
    expect(docs.unset).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'AMQP_URL', 'FLOODGATE_SERVICE_KEY', 'FLOODGATE_KEY_ENCRYPTION_KEY']));
    expect(Object.keys(docs.env).filter((name) => docs.unset!.includes(name))).toEqual([]);
    // what is left of an environment holding every variable loads: nothing unset leaves half of a pair behind
    const full = { DATABASE_URL: 'postgres://db.invalid/x', REDIS_URL: 'redis://redis.invalid', AMQP_URL: 'amqp://mq.invalid', FLOODGATE_ADMIN_EMAIL: 'admin@example.com', FLOODGATE_ADMIN_PASSWORD: 'admin-password-123', FLOODGATE_SERVICE_KEY: 'k'.repeat(32) };
    const left = Object.fromEntries(Object.entries({ ...full, ...docs.env }).filter(([name]) => !docs.unset!.includes(name)));
    expect(() => loadConfig(left)).not.toThrow();
    expect(docs.readyPath).toBe('/readyz');
  });

  it('when workers are asked for as one process, then one `worker all` runs them', () => {
    expect(plan({ workers: 'one' }).filter((s) => s.kind === 'worker').map((s) => s.args)).toEqual([['worker', 'all']]);
  });

  it('when a service is given no instance, then planning refuses it naming the service', () => {
    expect(() => plan({ instances: instances({ orders: 0 }) })).toThrow(/orders: at least one instance/);
  });

  it('when the upstreams are listed, then each service has its own instances and the default upstream only the docs process', () => {
    const specs = plan();
    const upstreams = upstreamsOf(specs);
    expect(upstreams.floodgate_catalog).toHaveLength(2);
    expect(upstreams.floodgate_default).toEqual([{ host: '127.0.0.1', port: specs.find((s) => s.name === 'docs-1')!.port }]);
    // each service's instances run that service alone, and docs-1 `serve docs`
    for (const spec of specs.filter((s) => s.kind === 'api')) expect(spec.args).toEqual(['serve', spec.name.replace(/-\d+$/, '')]);
    expect(Object.keys(upstreams).sort()).toEqual([...CLUSTER_SERVICES.map((s) => `floodgate_${s.replace('-', '_')}`), 'floodgate_default'].sort());
  });

  it('when nginx routes the API\'s paths, then each reaches the service that owns it', async () => {
    const map = await routingMap();
    const expected: Record<string, string> = {
      '/v1/products': 'floodgate_catalog',
      '/v1/products/jacket-1': 'floodgate_catalog',
      '/v1/categories': 'floodgate_catalog',
      '/v1/admin/products/0193/archive': 'floodgate_catalog',
      '/v1/admin/categories': 'floodgate_catalog',
      '/v1/auth/login': 'floodgate_customers',
      '/v1/me': 'floodgate_customers',
      '/.well-known/jwks.json': 'floodgate_customers',
      '/v1/admin/api-keys': 'floodgate_customers',
      '/v1/admin/customers/x/deactivate': 'floodgate_customers',
      '/v1/carts/c1/items/i1': 'floodgate_carts',
      '/v1/admin/inventory/v1': 'floodgate_inventory',
      '/v1/checkout': 'floodgate_orders',
      '/v1/orders/o1': 'floodgate_orders',
      '/v1/admin/orders/o1/refund': 'floodgate_orders',
      '/v1/flash-sales/s1/queue/t1': 'floodgate_flash_sales',
      '/v1/admin/flash-sales': 'floodgate_flash_sales',
      '/sale/s1': 'floodgate_flash_sales',
      '/internal/catalog/variants': 'floodgate_catalog',
      '/v1/openapi.json': 'floodgate_default',
      '/v1/admin/audit': 'floodgate_customers',
      '/v1/admin/degradation/search': 'floodgate_customers',
      // a prefix is not a match: /v1/productsx is nobody's
      '/v1/productsx': 'floodgate_default',
    };
    expect(Object.fromEntries(Object.keys(expected).map((path) => [path, routeOf(map, path)]))).toEqual(expected);
  });
});
