import { z } from 'zod';
import type { Principal } from '../../../platform/auth/principal.js';
import { CommonErrors } from '../../../platform/http/app-error.js';
import { requirePrincipal } from '../../../platform/http/auth-hook.js';
import { containsCardNumber } from '../../../platform/http/card-data-guard.js';
import { plainJsonSerializer, visibleAscii, withFastPath } from '../../../platform/http/fast-validation.js';
import { replayLaneBody } from '../../../platform/http/fast-lane-writes.js';
import type { HttpApp } from '../../../platform/service.js';
import { FlashSaleErrors, flashSaleErrorOf } from '../errors.js';
import { operation } from '../../../platform/http/api-operation.js';
import type { SaleState } from '../get-sale.js';
import type { JoinQueueResult } from '../join-queue.js';
import type { PollTicketResult } from '../poll-ticket.js';
import type { ReserveUnitsInput, ReserveUnitsResult } from '../reserve-units.js';
import {
  joinedSchema,
  pollSchema,
  publicSaleSchema,
  reserveBodySchema,
  reservedSchema,
  reserveHeadersSchema,
  saleIdParamsSchema,
  ticketParamsSchema,
  toPublicSale,
} from './flash-sale-schemas.js';

export interface FlashSaleRouteDeps {
  listOpenSales: () => Promise<SaleState[]>;
  getSale: (id: string) => Promise<SaleState | null>;
  joinQueue: (input: { saleId: string; principal: Principal }) => Promise<JoinQueueResult>;
  pollTicket: (input: { saleId: string; ticket: string; customerId: string }) => Promise<PollTicketResult>;
  reserveUnits: (input: ReserveUnitsInput) => Promise<ReserveUnitsResult>;
  /**
   * The same poll from what this process holds in memory, synchronously (poll-ticket.ts makePeekPollTicket):
   * undefined when it cannot tell, or when the answer is a refusal. Lets the HTTP fast lane answer polls.
   */
  peekPoll?: (input: { saleId: string; ticket: string; customerId: string }) => Extract<PollTicketResult, { ok: true }> | undefined;
  /** counts a poll answered by the fast lane, as pollTicket's own answers are counted */
  countPoll?: (state: string) => void;
}

/** a poll's answer as sent, whichever path made it */
const pollBody = (result: Extract<PollTicketResult, { ok: true }>) => {
  if (result.state !== 'admitted') return { state: result.state, position: result.position, retryAfterMs: result.retryAfterMs };
  const { state, position, retryAfterMs, admissionToken, admissionExpiresAt } = result;
  return { state, position, retryAfterMs, admissionToken, admissionExpiresAt: admissionExpiresAt.toISOString() };
};

// what the route's params schema accepts for certain, with nothing to percent-decode and no query string
const POLL_URL = /^\/v1\/flash-sales\/([A-Za-z0-9._-]{1,100})\/queue\/([A-Za-z0-9._-]{1,100})$/;
const POLL_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

// Fast paths of the spike routes' validation (fast-validation.ts): what the zod schemas in
// flash-sale-schemas.ts certainly accept, checked without them; anything else goes through zod.
const paramText = visibleAscii(1, 100);
const idempotencyKey = visibleAscii(8, 255);
const admissionToken = visibleAscii(1, 2048);
type Loose = Record<string, unknown> | null | undefined;
const reserveHeaders = (h: unknown) => {
  const key = (h as Loose)?.['idempotency-key'];
  const token = (h as Loose)?.['admission-token'];
  return idempotencyKey(key) && !containsCardNumber(key) && (token === undefined || admissionToken(token));
};
const reserveBody = (b: unknown) => {
  const keys = b !== null && typeof b === 'object' ? Object.keys(b) : [];
  const quantity = (b as Loose)?.quantity;
  return keys.length === 1 && keys[0] === 'quantity' && Number.isInteger(quantity) && (quantity as number) >= 1 && (quantity as number) <= 1_000;
};
const spikeValidation = withFastPath({
  params: (p) => paramText((p as Loose)?.id) && ((p as Loose)?.ticket === undefined || paramText((p as Loose)?.ticket)),
  headers: reserveHeaders,
  body: reserveBody,
});
// what the reservation route's params schema accepts for certain, with nothing to percent-decode and no query string
const RESERVE_URL = /^\/v1\/flash-sales\/([A-Za-z0-9._-]{1,100})\/reservations$/;
const RESERVE_LIMIT = 'flash-reserve-per-customer';
const REPLAYED = { 'idempotent-replayed': 'true' };
/** the 201 of a reservation, the lane's and the route's */
const reservedBody = ({ reservationId, expiresAt }: { reservationId: string; expiresAt: Date }) => ({ reservationId, expiresAt: expiresAt.toISOString() });
// a sale's public state is the same for everyone: a CDN may serve it for a second
const PUBLIC_CACHE_CONTROL = 'public, max-age=1';

export function registerFlashSaleRoutes(app: HttpApp, deps: FlashSaleRouteDeps) {
  app.get(
    '/v1/flash-sales',
    {
      config: { criticality: 'low' },
      schema: {
        ...operation('flash-sales', {
          operationId: 'listFlashSales',
          summary: 'Flash sales that are live or coming',
          description: 'Public; a CDN may keep the answer for a second.',
        }),
        response: { 200: z.object({ items: z.array(publicSaleSchema) }) },
      },
    },
    async (_req, reply) => reply.header('cache-control', PUBLIC_CACHE_CONTROL).send({ items: (await deps.listOpenSales()).map(toPublicSale) }),
  );

  app.get(
    '/v1/flash-sales/:id',
    {
      config: { criticality: 'normal' },
      schema: {
        ...operation('flash-sales', {
          operationId: 'getFlashSale',
          summary: 'One flash sale: status, remaining units, price, queue',
          description: 'Public; a CDN may keep the answer for a second, so `remaining` may be that old.',
          errors: [FlashSaleErrors.notFound('0193…')],
        }),
        params: saleIdParamsSchema,
        response: { 200: publicSaleSchema },
      },
    },
    async (req, reply) => {
      const state = await deps.getSale(req.params.id);
      if (!state) throw FlashSaleErrors.notFound(req.params.id);
      return reply.header('cache-control', PUBLIC_CACHE_CONTROL).send(toPublicSale(state));
    },
  );

  app.post(
    '/v1/flash-sales/:id/queue',
    {
      config: { auth: 'any', criticality: 'high', rateLimit: 'flash-join-per-customer' },
      // answers of a few hundred bytes, on the spike path: no compression hook at all
      compress: false,
      schema: {
        ...operation('flash-sales', {
          operationId: 'joinFlashSaleQueue',
          summary: 'Join the waiting room; joining again answers the same ticket',
          description: 'The ticket carries your place in the queue; poll it with getQueueTicket after `retryAfterMs`. Admission is first in, first out, at the sale\'s admission rate. Limited per customer.',
          errors: [FlashSaleErrors.notFound('0193…'), FlashSaleErrors.ended('0193…'), FlashSaleErrors.notLive('0193…', 'scheduled'), FlashSaleErrors.soldOut('0193…'), FlashSaleErrors.guestsExcluded(), FlashSaleErrors.unavailable()],
        }),
        params: saleIdParamsSchema,
        body: z.strictObject({}).nullish(),
        response: { 201: joinedSchema },
      },
    },
    async (req, reply) => {
      const result = await deps.joinQueue({ saleId: req.params.id, principal: requirePrincipal(req) });
      if (!result.ok) throw flashSaleErrorOf(result, req.params.id);
      return reply.code(201).send({ ticket: result.ticket, position: result.position, retryAfterMs: result.retryAfterMs });
    },
  );

  app.get(
    '/v1/flash-sales/:id/queue/:ticket',
    {
      // polls are paced by retryAfterMs; shedding them after browsing keeps the room moving
      config: { auth: 'any', criticality: 'high' },
      // answers of a few hundred bytes, on the spike path: no compression hook at all
      compress: false,
      validatorCompiler: spikeValidation,
      // the handler builds the answer field by field: no zod re-validation of it per poll
      serializerCompiler: plainJsonSerializer,
      schema: {
        ...operation('flash-sales', {
          operationId: 'getQueueTicket',
          summary: 'Where your ticket stands: waiting (poll again after retryAfterMs), admitted (with an admission token) or sold_out',
          description: 'Polling writes nothing. `retryAfterMs` grows with the distance from the front: poll no sooner. An admitted ticket carries a short-lived admission token for createFlashSaleReservation.',
          errors: [FlashSaleErrors.notFound('0193…'), FlashSaleErrors.ticketInvalid(), FlashSaleErrors.ticketExpired(), FlashSaleErrors.unavailable()],
        }),
        params: ticketParamsSchema,
        response: { 200: pollSchema },
      },
    },
    async (req) => {
      const result = await deps.pollTicket({ saleId: req.params.id, ticket: req.params.ticket, customerId: requirePrincipal(req).customerId });
      if (!result.ok) throw flashSaleErrorOf(result, req.params.id);
      return pollBody(result);
    },
  );
  // The waiting room's polls are most of a sale's requests, and a poll is made from memory (the caller's
  // remembered token, the cached sale, keys and frontier): the fast lane answers those ahead of the framework.
  // A poll it cannot answer for certain (a token not verified here yet, a cache gone stale, any refusal) goes
  // to the route above, which gives the same answer the long way.
  const lane = app.fastLane;
  const { peekPoll, countPoll } = deps;
  if (lane && peekPoll) {
    lane.route('/v1/flash-sales/', '/v1/flash-sales/:id/queue/:ticket', (url, headers) => {
      const match = POLL_URL.exec(url);
      if (!match) return undefined;
      const principal = lane.principal(headers);
      if (!principal) return undefined;
      const result = peekPoll({ saleId: match[1]!, ticket: match[2]!, customerId: principal.customerId });
      if (!result) return undefined;
      countPoll?.(result.state);
      return lane.prepare(200, POLL_HEADERS, Buffer.from(JSON.stringify(pollBody(result))));
    });
  }

  // A plain reservation (the sold-out answer nearly everyone gets included) is answered by the HTTP fast lane, ahead
  // of the framework's pipeline (fast-lane-writes.ts), with the same use case and answers; the route below answers
  // everything else, bad input included.
  app.fastLane?.write('/v1/flash-sales/', '/v1/flash-sales/:id/reservations', [RESERVE_LIMIT], (url, headers) => {
    const saleId = RESERVE_URL.exec(url)?.[1];
    if (saleId === undefined || !reserveHeaders(headers)) return undefined;
    const idempotencyKey = headers['idempotency-key'] as string;
    const admissionToken = headers['admission-token'] as string | undefined;
    return (body, principal) => {
      if (!reserveBody(body)) return undefined;
      const { quantity } = body as { quantity: number };
      return async () => {
        const result = await deps.reserveUnits({ saleId, principal, admissionToken, idempotencyKey, quantity });
        if (!result.ok) return { error: flashSaleErrorOf(result, saleId) };
        return { status: 201, body: JSON.stringify(reservedBody(result)), ...(result.replayed ? { headers: REPLAYED } : {}) };
      };
    };
  }, { compress: false });
  app.post(
    '/v1/flash-sales/:id/reservations',
    {
      // taking stock for an admitted customer is the sale itself: shed last
      config: { auth: 'any', criticality: 'critical', rateLimit: RESERVE_LIMIT },
      // answers of a few hundred bytes, on the spike path: no compression hook at all
      compress: false,
      // a request the lane read and left to the route is parsed from the bytes the lane read
      preParsing: replayLaneBody,
      // before schema validation, so a missing key gets its own error code, not a generic one
      preValidation: (req, _reply, done) => done(req.headers['idempotency-key'] ? undefined : CommonErrors.idempotencyKeyRequired()),
      validatorCompiler: spikeValidation,
      serializerCompiler: plainJsonSerializer,
      schema: {
        ...operation('flash-sales', {
          operationId: 'createFlashSaleReservation',
          summary: 'Reserve units with your admission token; check out with the reservationId before expiresAt',
          description: 'Needs the `Admission-Token` of an admitted ticket and an `Idempotency-Key`: the same key and body answer the same reservation (with `Idempotent-Replayed: true`), the same key with another body is 422. Sold-out answers cost no database work. Per-customer limits hold under parallel requests.',
          errors: [
            CommonErrors.idempotencyKeyRequired(), FlashSaleErrors.quantityAboveLimit(2), FlashSaleErrors.notFound('0193…'), FlashSaleErrors.notAdmitted(),
            FlashSaleErrors.guestsExcluded(), FlashSaleErrors.soldOut('0193…'), FlashSaleErrors.ended('0193…'), FlashSaleErrors.notLive('0193…', 'scheduled'),
            FlashSaleErrors.paused('0193…'), FlashSaleErrors.admissionExpired(), FlashSaleErrors.reservationInFlight(), CommonErrors.idempotencyKeyReused(),
            FlashSaleErrors.limitReached(2), FlashSaleErrors.unavailable(),
          ],
        }),
        params: saleIdParamsSchema,
        headers: reserveHeadersSchema,
        body: reserveBodySchema,
        response: { 201: reservedSchema },
      },
    },
    async (req, reply) => {
      const result = await deps.reserveUnits({
        saleId: req.params.id,
        principal: requirePrincipal(req),
        admissionToken: req.headers['admission-token'],
        idempotencyKey: req.headers['idempotency-key'],
        quantity: req.body.quantity,
      });
      if (!result.ok) throw flashSaleErrorOf(result, req.params.id);
      if (result.replayed) reply.headers(REPLAYED);
      return reply.code(201).send(reservedBody(result));
    },
  );
}
