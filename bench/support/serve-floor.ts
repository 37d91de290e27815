// Child process of bench/floors.ts (or run alone, see below): the least work each spike-path answer needs, on node:http with no framework.
// Every answer carries the headers the shop's answer carries (the same security headers, request id, type,
// cache-control, length) and a body of the same shape; nothing is authenticated, rate-limited, logged or counted.
// So whatever the shop does on top, it cannot be cheaper than these: they are floors, not implementations.
//   GET  /poll/{ticket}   the waiting-room poll: an answer from memory
//   POST /reserve         a sold-out reservation: read and check the body, one atomic script on Redis, 409
//   POST /add             add-to-cart on a Redis working copy: read and check the body, one script, 200 with the cart
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { SECURITY_HEADERS } from '../../src/platform/http/security-headers.js';
import { newRequestId } from '../../src/platform/ids.js';

// commands of concurrent requests share a write (ioredis auto-pipelining): the cheapest way to talk to Redis, so the floor stays a floor
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { connectionName: 'floodgate:bench-floor', enableAutoPipelining: true });
// one hash slot per run, as the counter store keeps one per sale; deleted when the child stops
const scope = `floodgate:bench-floor:{${randomUUID()}}`;
const keys = { meta: `${scope}:meta`, idem: `${scope}:idem`, members: `${scope}:members`, cart: `${scope}:cart` };

// the sold-out path of the counter store's take (src/platform/counters/lua/take.lua): idempotency, limit, stock
redis.defineCommand('floorTake', {
  numberOfKeys: 3,
  lua: `if redis.call('HGET', KEYS[2], ARGV[2]) then return {'REPLAYED'} end
if tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0') + tonumber(ARGV[3]) > 1 then return {'LIMIT_REACHED'} end
if tonumber(redis.call('HGET', KEYS[1], 'available') or '0') < tonumber(ARGV[3]) then return {'SOLD_OUT'} end
return {'OK'}`,
});
// a cart line changed and the cart read back, in one round trip
redis.defineCommand('floorAdd', {
  numberOfKeys: 1,
  lua: `redis.call('HINCRBY', KEYS[1], ARGV[1], tonumber(ARGV[2]))
return redis.call('HGETALL', KEYS[1])`,
});
type FloorRedis = Redis & {
  floorTake(meta: string, idem: string, members: string, member: string, key: string, quantity: number): Promise<string[]>;
  floorAdd(cart: string, variantId: string, quantity: number): Promise<string[]>;
};
const scripts = redis as FloorRedis;
await redis.hset(keys.meta, 'available', '0', 'held', '0');

const common = Object.entries(SECURITY_HEADERS).flat();
const head = (requestId: string, body: string, extra: string[]) => [
  'x-request-id', requestId, ...common, 'content-type', 'application/json; charset=utf-8', ...extra, 'content-length', String(Buffer.byteLength(body)),
];
const send = (res: ServerResponse, status: number, requestId: string, body: string, extra: string[] = ['cache-control', 'no-store']) => {
  res.writeHead(status, head(requestId, body, extra));
  res.end(body);
};
const problem = (res: ServerResponse, req: IncomingMessage, requestId: string, status: number, code: string, detail: string) =>
  send(res, status, requestId, JSON.stringify({ type: `https://floodgate.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`, title: code, status, code, detail, instance: req.url, requestId }));

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(undefined);
      }
    });
  });
}
const positiveInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 100;

async function reserve(req: IncomingMessage, res: ServerResponse, requestId: string) {
  const body = (await readJson(req)) as { quantity?: unknown } | undefined;
  if (!body || !positiveInt(body.quantity)) return problem(res, req, requestId, 400, 'VALIDATION_FAILED', 'quantity must be a whole number from 1');
  const member = String(req.headers.authorization ?? '').slice(-16);
  const [code] = await scripts.floorTake(keys.meta, keys.idem, keys.members, member, String(req.headers['idempotency-key'] ?? ''), body.quantity as number);
  return problem(res, req, requestId, 409, `FLASH_SALE_${code}`, 'Flash sale 01a22f9c-7fdf-79a8-a6c3-eed1522e7df7 is sold out');
}

async function add(req: IncomingMessage, res: ServerResponse, requestId: string) {
  const body = (await readJson(req)) as { variantId?: unknown; quantity?: unknown } | undefined;
  if (!body || typeof body.variantId !== 'string' || !positiveInt(body.quantity)) return problem(res, req, requestId, 400, 'VALIDATION_FAILED', 'variantId and quantity are required');
  const flat = await scripts.floorAdd(keys.cart, body.variantId, body.quantity as number);
  const items = [];
  for (let i = 0; i < flat.length; i += 2) items.push({ variantId: flat[i], quantity: Number(flat[i + 1]), unitPrice: { amount: 2_500, currency: 'USD' } });
  send(res, 200, requestId, JSON.stringify({ id: 'bench-floor-cart', status: 'open', currency: 'USD', items, version: 1 }));
}

const server = createServer((req, res) => {
  const requestId = newRequestId();
  const url = req.url ?? '';
  if (req.method === 'GET' && url.startsWith('/poll/')) return send(res, 200, requestId, JSON.stringify({ state: 'waiting', position: 4_812, retryAfterMs: 996 }));
  if (req.method === 'POST' && url === '/reserve') return void reserve(req, res, requestId);
  if (req.method === 'POST' && url === '/add') return void add(req, res, requestId);
  return problem(res, req, requestId, 404, 'NOT_FOUND', 'no such floor');
});
server.keepAliveTimeout = 72_000;
await new Promise<void>((resolve) => server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', resolve));
const address = server.address();
const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
// run alone (PORT=3400 node --import tsx bench/support/serve-floor.ts) to profile a floor beside the shop
if (process.send) process.send({ url });
else console.log(`floors at ${url} (Ctrl-C stops them)`);

const stop = async () => {
  server.closeAllConnections();
  server.close();
  await redis.del(...Object.values(keys)).catch(() => 0);
  redis.disconnect();
  process.exit(0);
};
process.on('message', (message) => {
  if (message === 'stop') void stop();
});
process.on('disconnect', () => void stop());
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
