import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../support/api.js';
import { startShopWithLiveSale } from '../support/live-sale-shop.js';
import { comparable, jsonOf, metricValue, problemOf, rawPost } from '../support/raw-post.js';
import { waitFor } from '../support/wait-for.js';

describe('flash-sale reservations on the HTTP fast lane (all-in-one, real HTTP)', () => {
  let live: Awaited<ReturnType<typeof startShopWithLiveSale>>;
  let shop: Awaited<ReturnType<typeof startShopWithLiveSale>>['shop'];
  let saleId: string;
  let admin: string;
  const api = () => createApi(shop.url);
  const laneAnswers = () => metricValue(shop.url, 'floodgate_http_fast_lane_answers_total{route="/v1/flash-sales/:id/reservations"');
  const path = () => `/v1/flash-sales/${saleId}/reservations`;
  /** units held and sold, on the counters and in PostgreSQL */
  const held = async () => {
    const { counters, reservations } = (await api().get(`/v1/admin/flash-sales/${saleId}`, { token: admin })).body;
    return { available: counters.available, held: counters.held, sold: counters.sold, reservations };
  };

  beforeAll(async () => {
    live = await startShopWithLiveSale({ admissionRatePerSecond: 100, product: 2 });
    ({ shop, saleId, admin } = live);
  }, 120_000);
  afterAll(async () => {
    await live?.stop();
  });

  /** a guest who joined and was admitted: its token and admission token */
  const admittedGuest = async () => {
    const { token, ticket } = await live.guestInQueue();
    const admission = await waitFor('admission', async () => {
      const poll = await api().get(`/v1/flash-sales/${saleId}/queue/${encodeURIComponent(ticket)}`, { token });
      return poll.body.state === 'admitted' ? (poll.body.admissionToken as string) : undefined;
    }, { timeoutMs: 10_000 });
    return { token, admission };
  };
  const reserve = (token: string, admission: string, key: string, body = '{"quantity":1}', chunked = false) =>
    rawPost(shop.url, path(), token, body, { chunked, headers: { 'idempotency-key': key, 'admission-token': admission } });

  it('when a reservation is replayed and then one more is asked past the limit, then the lane answers what the route answers, and nothing more is held', async () => {
    const { token, admission } = await admittedGuest();
    const key = randomUUID();
    const first = await reserve(token, admission, key, undefined, true);
    expect(first.status).toBe(201);
    const before = await laneAnswers();
    const [replayByRoute, replayByLane] = [await reserve(token, admission, key, undefined, true), await reserve(token, admission, key)];
    expect(await laneAnswers()).toBe(before + 1);
    expect([replayByRoute.status, replayByLane.status]).toEqual([201, 201]);
    expect(replayByLane.headers['idempotent-replayed']).toBe('true');
    expect(comparable(replayByLane)).toEqual(comparable(replayByRoute));
    expect(jsonOf(replayByLane)).toEqual(jsonOf(first));

    const holding = await held();
    const [overByRoute, overByLane] = [await reserve(token, admission, randomUUID(), undefined, true), await reserve(token, admission, randomUUID())];
    expect(await laneAnswers()).toBe(before + 2);
    expect([overByRoute.status, overByLane.status]).toEqual([429, 429]);
    expect(comparable(overByLane)).toEqual(comparable(overByRoute));
    expect(problemOf(overByLane)).toEqual(problemOf(overByRoute));
    expect(problemOf(overByLane).code).toBe('FLASH_SALE_LIMIT_REACHED');
    expect(await held()).toEqual(holding);
  });

  it('when the key is missing or the body is one the route refuses, then the route answers it (the lane read it or never took it)', async () => {
    const { token, admission } = await admittedGuest();
    const [before, holding] = [await laneAnswers(), await held()];
    const noKey = await rawPost(shop.url, path(), token, '{"quantity":1}', { headers: { 'admission-token': admission } });
    expect(noKey.status).toBe(400);
    expect(jsonOf(noKey).code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    for (const body of ['{"quantity":0}', '{"quantity":1,"price":1}', '{"quantity":']) {
      const key = randomUUID();
      const [byRoute, read] = [await reserve(token, admission, key, body, true), await reserve(token, admission, key, body)];
      expect(read.status).toBe(400);
      expect(comparable(read)).toEqual(comparable(byRoute));
      expect(problemOf(read)).toEqual(problemOf(byRoute));
    }
    expect(await laneAnswers()).toBe(before);
    expect(await held()).toEqual(holding);
  });
});
