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
