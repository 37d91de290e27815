/**
 * The services `floodgate serve <service>` runs on their own, and whose contract clients each one calls
 * over HTTP (so whose `<SERVICE>_URL` it needs). Kept apart from the wiring so that config.ts can check
 * a process's settings without loading any service code.
 */
export const SERVICE_DEPENDENCIES = {
  customers: [],
  catalog: ['customers', 'inventory'],
  inventory: ['customers'],
  carts: ['customers', 'catalog'],
  payments: ['customers', 'inventory'],
  orders: ['customers', 'carts', 'inventory', 'payments'],
  'flash-sales': ['customers', 'catalog', 'inventory', 'orders'],
} as const satisfies Record<string, readonly string[]>;

export type ServiceName = keyof typeof SERVICE_DEPENDENCIES;
export const SERVICE_NAMES = Object.keys(SERVICE_DEPENDENCIES) as ServiceName[];

/** the variable naming a service's base URL: flash-sales → FLASH_SALES_URL */
export const serviceUrlVariable = (service: ServiceName) => `${service.toUpperCase().replace(/-/g, '_')}_URL` as const;

/**
 * Which process answers which public path, longest prefix first: what a load balancer in front of the
 * `floodgate serve` processes routes by (deploy/nginx, tests). `/internal/` is never routed from outside.
 */
export const SERVICE_PATH_PREFIXES: ReadonlyArray<readonly [string, ServiceName]> = [
  ['/v1/admin/audit', 'customers'],
  // every process serves the switches (they are shared through Redis); the edge sends admins to one of them
  ['/v1/admin/degradation', 'customers'],
  ['/v1/admin/api-keys', 'customers'],
  ['/v1/admin/customers', 'customers'],
  ['/v1/auth/', 'customers'],
  ['/v1/me', 'customers'],
  ['/.well-known/', 'customers'],
  ['/v1/admin/products', 'catalog'],
  ['/v1/admin/categories', 'catalog'],
  ['/v1/products', 'catalog'],
  ['/v1/categories', 'catalog'],
  ['/v1/admin/inventory/', 'inventory'],
  ['/v1/carts', 'carts'],
  ['/v1/checkout', 'orders'],
  ['/v1/orders', 'orders'],
  ['/v1/admin/orders/', 'orders'],
  ['/v1/admin/flash-sales', 'flash-sales'],
  ['/v1/flash-sales', 'flash-sales'],
  ['/sale/', 'flash-sales'],
];

/**
 * What `floodgate serve docs` answers for the whole API (create-http-app.ts serves them in every process, but a
 * service process describes its own operations only): a load balancer sends these paths to the docs process
 * (deploy/nginx's default upstream, deploy/k8s's Ingress).
 */
export const DOCS_PATHS = ['/v1/openapi.json', '/docs'] as const;

/** the service whose process answers `path`, or undefined (docs, probes: every process has its own) */
export const serviceOfPath = (path: string): ServiceName | undefined => SERVICE_PATH_PREFIXES.find(([prefix]) => path.startsWith(prefix))?.[1];
