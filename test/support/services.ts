import net from 'node:net';

/** Where the test services live; override for a different machine. */
export const TEST_SERVICES = {
  postgres: process.env.FLOODGATE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redis: process.env.FLOODGATE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  rabbitmq: process.env.FLOODGATE_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
} as const;

type ServiceName = keyof typeof TEST_SERVICES;

const reachable = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = net.connect({ host: hostname, port: Number(port), timeout: 1_000 });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });

const cache = new Map<ServiceName, Promise<boolean>>();

/**
 * True when the service answers. Under CI=true a missing service is an error, not a skip: CI must
 * never go green by testing less. Elsewhere the skip is announced, never silent.
 */
export async function serviceAvailable(name: ServiceName): Promise<boolean> {
  if (!cache.has(name)) cache.set(name, reachable(TEST_SERVICES[name]));
  const ok = await cache.get(name)!;
  if (!ok) {
    const message = `${name} is not reachable at ${TEST_SERVICES[name]}`;
    if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it (bash .ci/run starts it)`);
    console.warn(`\n[floodgate tests] SKIPPING ${name} tests: ${message}. Start it to run them.\n`);
  }
  return ok;
}
