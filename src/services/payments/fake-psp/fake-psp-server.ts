import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { containsCardNumber } from '../../../platform/http/card-data-guard.js';
import { createChargeLedger, type PspAnswer, type RandomBytes } from './charge-ledger.js';
import { openLedgerFile } from './ledger-file.js';

export interface FakePspOptions {
  logger: Logger;
  /** how long `tok_slow` takes to capture */
  slowMs?: number;
  /** append every decision to this file and reload it on start, so a restart forgets no capture */
  ledgerFile?: string;
  /** where charge and refund ids are drawn from (tests) */
  random?: RandomBytes;
}

const chargeBody = z.strictObject({
  amount: z.number().int().min(0).max(100_000_000_00),
  currency: z.string().regex(/^[A-Za-z]{3}$/),
  token: z.string().min(1).max(100),
});
const refundBody = z.strictObject({ chargeId: z.string().min(1).max(100) });
const idempotencyKey = z.string().min(1).max(255);

const send = (reply: FastifyReply, answer: PspAnswer) => reply.code(answer.statusCode).send(answer.body);
const reject = (reply: FastifyReply, statusCode: number, code: string, message: string) =>
  reply.code(statusCode).send({ error: { code, message } });

/** Checks what every write needs: no card data, an idempotency key, a body of the right shape. */
function admit<T>(req: FastifyRequest, reply: FastifyReply, schema: z.ZodType<T>): { key: string; body: T } | undefined {
  if (containsCardNumber(req.body)) {
    reject(reply, 400, 'card_data_rejected', 'Raw card numbers are never accepted; send a token such as tok_visa');
    return undefined;
  }
  const key = idempotencyKey.safeParse(req.headers['idempotency-key']);
  if (!key.success) {
    reject(reply, 400, 'idempotency_key_required', 'Send an Idempotency-Key header (1–255 characters) with every write');
    return undefined;
  }
  const body = schema.safeParse(req.body);
  if (!body.success) {
    reject(reply, 400, 'invalid_request', body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    return undefined;
  }
  return { key: key.data, body: body.data };
}

/**
 * A stand-in payment service provider with Stripe-like semantics and test tokens, run as its own
 * HTTP server so the real client code path (pool, timeouts, retries, breaker) is exercised.
 */
export async function createFakePspServer({ logger, slowMs = 1500, ledgerFile, random }: FakePspOptions): Promise<FastifyInstance> {
  const ledger = createChargeLedger({ slowMs, ...(ledgerFile ? { file: openLedgerFile(ledgerFile) } : {}), ...(random ? { random } : {}) });
  const app = Fastify({ loggerInstance: logger as FastifyBaseLogger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: 16 * 1024 });

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) logger.error({ err }, 'fake psp failed');
    return reject(reply, status, status === 500 ? 'internal_error' : 'invalid_request', err.message);
  });
  app.setNotFoundHandler((req, reply) => reject(reply, 404, 'not_found', `No route ${req.method} ${req.url.split('?')[0]}`));

  app.post('/v1/charges', async (req, reply) => {
    const admitted = admit(req, reply, chargeBody);
    if (!admitted) return reply;
    const { amount, currency, token } = admitted.body;
    return send(reply, await ledger.charge(admitted.key, { amount, currency: currency.toUpperCase(), token }));
  });

  app.post('/v1/refunds', async (req, reply) => {
    const admitted = admit(req, reply, refundBody);
    if (!admitted) return reply;
    return send(reply, ledger.refund(admitted.key, admitted.body.chargeId));
  });

  app.get<{ Params: { id: string } }>('/v1/charges/:id', async (req, reply) => send(reply, ledger.get(req.params.id)));
  app.get('/_stats', async () => ledger.stats());
  // the PSP's own health, what the payments circuit probes before it lets charges through again
  app.get('/healthz', async () => ({ status: 'ok' }));

  return app;
}
