import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { changedTables, createFingerprinter, type Fingerprint } from '../support/database-fingerprint.js';
import { useTestShop } from '../support/shop.js';
import { documentAnswers } from '../api-contract/document-answers.js';
import { operationsOf, requestArbitrary, type Callers, type FuzzRequest, type Operation } from './fuzz/fuzz-requests.js';
import type { KnownValues } from './fuzz/schema-arbitrary.js';

/**
 * FUZZ_RUNS scales the suite; FUZZ_SEED replays a run whose seed a failure printed. The default run (CI) tries
 * 20 inputs a route, every route, with a new seed each run, so successive runs cover new inputs; the deep run
 * is FUZZ_RUNS=100 (the former default) or more (docs/security.md).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refusals that write by design, and only these tables: a checkout refused after its work began
 * (empty cart, no stock) saves its answer with the idempotency key so the client's retry gets the
 * same one; a rotated refresh token presented again revokes its whole family (theft detection).
 */
const WRITES_BY_DESIGN: Record<string, { codes: RegExp; tables: string[] }> = {
  'POST /v1/checkout': { codes: /^CHECKOUT_/, tables: ['orders.idempotency_keys', 'carts.carts'] },
  'POST /v1/auth/refresh': { codes: /REFRESH_TOKEN_REUSED$/, tables: ['customers.refresh_tokens', 'customers.session_revocations'] },
};

interface Answer { status: number; type: string; body: unknown }

async function send(request: FuzzRequest): Promise<Answer | 'closed early'> {
  try {
    const res = await fetch(request.url, { method: request.method, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}), redirect: 'manual' });
    const text = await res.text();
    let body: unknown = text;
    try { body = text ? JSON.parse(text) : undefined; } catch { /* kept as text: the check below will say so */ }
    return { status: res.status, type: res.headers.get('content-type') ?? '', body };
  } catch (err) {
    // a body over the limit may be answered 413 and the socket closed while fetch is still writing it
    if ((request.body?.length ?? 0) > 64 * 1024) return 'closed early';
    throw err;
  }
}

/** What is wrong with an answer, or undefined: no 5xx, and a 4xx is problem+json that names the field or the reason. */
function problemWith(answer: Answer): string | undefined {
  if (answer.status >= 500) return `${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
  if (answer.status < 400) return undefined;
  if (!answer.type.startsWith('application/problem+json')) return `${answer.status} answered as ${answer.type || 'no content type'}`;
  const body = answer.body as { code?: unknown; detail?: unknown; status?: unknown; errors?: Array<{ field?: unknown }> };
  if (typeof body.code !== 'string' || typeof body.detail !== 'string' || !body.detail || body.status !== answer.status) return `${answer.status} problem without code/detail/status`;
  if (body.code === 'VALIDATION_FAILED' && !(body.errors?.length && body.errors.every((e) => typeof e.field === 'string' && e.field))) return '400 VALIDATION_FAILED without field names';
  return undefined;
}

const cut = (s: string | undefined, n = 200) => (s && s.length > n ? `${s.slice(0, n)}…(${s.length})` : s);
const shorten = (r: FuzzRequest) => JSON.stringify({
  method: r.method, url: cut(r.url.replace(/^http:\/\/[^/]+/, '')), body: cut(r.body),
  headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, cut(v, 60)])),
});

describe('fuzzing every operation in /v1/openapi.json', () => {
  const ctx = useTestShop('pglite');
  let operations: Operation[];
  let callers: Callers;
  let known: KnownValues;
  let fingerprint: () => Promise<Fingerprint>;
  let documented: ReturnType<typeof documentAnswers>;

  beforeAll(async () => {
    const { api, shopper, admin } = ctx;
    const customer = await shopper.register();
    const other = await shopper.register();
    const spare = await api.post('/v1/auth/register', { email: `spare-${randomUUID()}@example.com`, password: 'a-long-password-1', name: 'Spare' });
    const product = await shopper.createProduct(admin, { stock: 50 });
    const paidCart = await shopper.cartWith(customer.token, product.variantId, 1);
    const placed = await shopper.checkout(customer.token, paidCart);
    const order = await shopper.settledOrder(customer.token, placed.body.orderId);
    const cartId = await shopper.cartWith(customer.token, product.variantId, 2);
    const cart = await api.get(`/v1/carts/${cartId}`, { token: customer.token });
    const apiKey = await api.post('/v1/admin/api-keys', { name: 'fuzz' }, { token: admin });
    const categoryId = (await api.get('/v1/categories')).body.items[0].id as string;
    callers = { admin, customer: customer.token, otherCustomer: other.token, guest: await shopper.guestToken() };
    const ids: Array<[RegExp, string[]]> = [
      [/^\/v1\/carts\/\{id\}.* id$/, [cartId, paidCart]],
      [/ itemId$/, [cart.body.items[0].id]],
      [/orders\/\{id\}.* id$/, [order.id as string]],
      [/products\/\{id\}.* id$/, [product.productId]],
      [/ idOrSlug$/, [product.productId, product.slug]],
      [/ variantId$/, [product.variantId]],
      [/api-keys\/\{id\} id$/, [apiKey.body.id]],
      [/^cartId$/, [cartId]], [/^variantId$/, [product.variantId]], [/^categoryId$/, [categoryId]], [/^id$/, [product.variantId]],
      [/^email$/, [customer.email, 'admin@test.floodgate']], [/^refreshToken$/, [spare.body.refreshToken]],
      [/^paymentToken$/, ['tok_visa', 'tok_declined']], [/^country$/, ['GB', 'US']], [/^currency$/, ['USD']], [/^category$/, [categoryId]],
    ];
    known = (field) => ids.find(([pattern]) => pattern.test(field))?.[1];
    const doc = (await api.get('/v1/openapi.json')).body;
    operations = operationsOf(doc);
    documented = documentAnswers(doc);
    fingerprint = await createFingerprinter(ctx.shop.database);
  });

  /** after a request that may have set off background work (a checkout's payment), wait until the database is still */
  async function settled(): Promise<Fingerprint> {
    let last = await fingerprint();
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const next = await fingerprint();
      if (changedTables(last, next).length === 0) return next;
      last = next;
    }
    return last;
  }

  it('when every route gets malformed, oversized, unicode, control-character and type-confused input, then none answers 5xx, every 4xx is a problem naming the field or reason, every answer is declared in the API document, and rejected requests write nothing', async () => {
    console.log(`[fuzz] seed ${SEED}, ${RUNS} runs per operation (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})`);
    expect(operations.length).toBeGreaterThan(25);
    const started = Date.now();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let tried = 0;
    let closedEarly = 0;
    let serverErrors = 0;
    let fingerprintMs = 0;
    const timedFingerprint = async () => {
      const t = Date.now();
      const result = await fingerprint();
      fingerprintMs += Date.now() - t;
      return result;
    };
    // the database as the last rejected write left it: nothing runs in the background until a write succeeds
    let baseline: Fingerprint | undefined;
    for (const [index, op] of operations.entries()) {
      const requests = fc.sample(requestArbitrary(op, known, callers, ctx.shop.url), { numRuns: RUNS, seed: SEED + index });
      const batchBefore = await fingerprint();
      for (const request of requests) {
        const before = WRITES.has(op.method) ? (baseline ??= await timedFingerprint()) : undefined;
        const answer = await send(request);
        tried++;
        if (answer === 'closed early') { closedEarly++; continue; }
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status >= 500) serverErrors++;
        const problem = problemWith(answer);
        if (problem) failures.push(`${op.method} ${op.path}: ${problem}\n    ${shorten(request)}`);
        // every answer, however odd the input, is one the document declares for the operation; a URL that
        // no longer reaches it (fetch resolves the `..` segments a fuzzed id may hold) is the router's 404
        const routed = (answer.body as { code?: unknown } | undefined)?.code !== 'ROUTE_NOT_FOUND';
        if (routed) for (const undeclared of documented.problemsOf(op.method, op.path, { status: answer.status, contentType: answer.type, body: answer.body })) failures.push(`${undeclared}\n    ${shorten(request)}`);
        if (before && answer.status >= 400) {
          const code = (answer.body as { code?: string } | undefined)?.code ?? '';
          const allowed = WRITES_BY_DESIGN[`${op.method} ${op.path}`];
          baseline = await timedFingerprint();
          const changed = changedTables(before, baseline).filter((table) => !(allowed?.codes.test(code) && allowed.tables.includes(table)));
          if (changed.length) failures.push(`${op.method} ${op.path}: answered ${answer.status} ${code} but wrote to ${changed.join(', ')}\n    ${shorten(request)}`);
        }
        // a success may set off background work (a checkout's payment, a refund): wait for it before the next comparison
        if (before && answer.status < 300) baseline = answer.status === 202 || op.path.includes('/orders/') ? await settled() : undefined;
      }
      if (!WRITES.has(op.method)) {
        const changed = changedTables(batchBefore, await fingerprint());
        if (changed.length) failures.push(`${op.method} ${op.path}: reads wrote to ${changed.join(', ')}`);
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
 console.log(`[fuzz] ${operations.length} operations, ${tried} requests in ${seconds} s (${(fingerprintMs / 1000).toFixed(1)} s of it fingerprinting the database), ${serverErrors} answered 5xx, ${closedEarly} closed early (over the body limit); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    if (failures.length) console.log(`[fuzz] failures:\n${failures.join("\n")}`);
    expect(failures.slice(0, 30), `seed ${SEED}: ${failures.length} failures`).toEqual([]);
  }, 600_000);
});
