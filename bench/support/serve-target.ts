// Child process of a benchmark: starts one server, reports its URL over IPC, stops on 'stop'.
// The server gets its own process (and core) so the load generator never shares its event loop.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { benchShopEnv } from './bench-target.js';

type Stop = () => Promise<void>;

async function startHello(): Promise<{ url: string; stop: Stop }> {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, stop: () => app.close() };
}

async function startShop(): Promise<{ url: string; stop: Stop }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'floodgate-bench-'));
  // the composition root is imported lazily so the ceiling still runs if the shop cannot start
  const [{ loadConfig }, { startAllInOne }] = await Promise.all([import('../../src/config.js'), import('../../src/runtime/all-in-one.js')]);
  const config = loadConfig({
    ...benchShopEnv(),
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    FLOODGATE_DATA_DIR: dataDir,
    LOG_FORMAT: 'json',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  });
  const shop = await startAllInOne({ config, seed: true, onProgress: (step) => process.stderr.write(`  shop: ${step}\n`) });
  return {
    url: shop.url,
    stop: async () => {
      await shop.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const kind = process.argv[2];
const started = kind === 'hello' ? await startHello() : kind === 'shop' ? await startShop() : undefined;
if (!started) throw new Error(`serve-target: unknown kind ${kind}; use hello or shop`);
process.send?.({ url: started.url });
process.on('message', (message) => {
  if (message !== 'stop') return;
  started.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
