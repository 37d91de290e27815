import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../support/api.js';
import { startShopWithLiveSale } from '../support/live-sale-shop.js';
import { waitFor } from '../support/wait-for.js';

interface RawAnswer { status: number; headers: Record<string, string | string[] | undefined>; body: string }

const rawGet = (base: string, path: string, token: string) =>
  new Promise<RawAnswer>((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });

/** a counter's value from /metrics (0 when the series does not exist yet) */
const counter = async (base: string, series: string) => {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(series + ' ') || l.startsWith(series.replace(/}$/, ',') ));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
};

describe('flash-sale polls on the fast lane (all-in-one, real HTTP)', () => {
  let live: Awaited<ReturnType<typeof startShopWithLiveSale>>;
  let shop: Awaited<ReturnType<typeof startShopWithLiveSale>>['shop'];
  let saleId: string;
  const api = () => createApi(shop.url);
  const laneAnswers = () => counter(shop.url, 'floodgate_http_fast_lane_answers_total{route="/v1/flash-sales/:id/queue/:ticket",service="floodgate"}');
  const waitingPolls = () => counter(shop.url, 'floodgate_flash_sale_requests_total{step="poll",outcome="waiting",service="floodgate"}');

  // admission at ~0 per second: everyone who joins keeps waiting
  beforeAll(async () => {
    live = await startShopWithLiveSale({ admissionRatePerSecond: 0.001, product: 1 });
    ({ shop, saleId } = live);
  }, 120_000);
  afterAll(async () => {
    await live?.stop();
  });
  const guestInQueue = () => live.guestInQueue();

  it('when a waiting customer polls, then the lane answers what the route answers (status, headers, body shape), counted in both metrics', async () => {
    const { token, ticket } = await guestInQueue();
    const path = `/v1/flash-sales/${saleId}/queue/${ticket}`;
    // the same poll the long way: a percent-encoded dot is a URL the lane leaves to the framework
    const framework = await rawGet(shop.url, path.replace(/\.(?=[^.]*$)/, '%2E'), token);
    expect(framework.status).toBe(200);
    // a poll is the lane's while the frontier it read is under 250 ms old: ask until one is (each /metrics read
    // takes time), and see that every poll counts once as a poll, whichever path answered it
    const lane = await waitFor('a poll answered by the lane', async () => {
      const [lanesBefore, pollsBefore] = [await laneAnswers(), await waitingPolls()];
      const answer = await rawGet(shop.url, path, token);
      const [lanesAfter, pollsAfter] = [await laneAnswers(), await waitingPolls()];
      expect(pollsAfter).toBe(pollsBefore + 1);
      return lanesAfter === lanesBefore + 1 ? answer : undefined;
    }, { timeoutMs: 10_000 });
    expect(lane.status).toBe(200);
    const strip = (a: RawAnswer) => {
      const { date: _d, 'x-request-id': _i, 'content-length': _l, ...rest } = a.headers;
      return rest;
    };
    expect(strip(lane)).toEqual(strip(framework));
    const [fromLane, fromRoute] = [JSON.parse(lane.body), JSON.parse(framework.body)];
    expect(Object.keys(fromLane)).toEqual(Object.keys(fromRoute));
    expect(fromLane).toMatchObject({ state: 'waiting', position: fromRoute.position, retryAfterMs: expect.any(Number) });
    expect(fromLane.retryAfterMs).toBeGreaterThan(0);
  });

  it("when the ticket is another customer's, or the token was logged out, then the lane steps aside and the route refuses it", async () => {
    const a = await guestInQueue();
    const b = await guestInQueue();
    await rawGet(shop.url, `/v1/flash-sales/${saleId}/queue/${b.ticket}`, b.token);
    const before = await laneAnswers();
    const foreign = await rawGet(shop.url, `/v1/flash-sales/${saleId}/queue/${a.ticket}`, b.token);
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).code).toBe('FLASH_SALE_TICKET_INVALID');
    expect((await api().post('/v1/auth/logout', {}, { token: b.token })).status).toBe(204);
    const loggedOut = await rawGet(shop.url, `/v1/flash-sales/${saleId}/queue/${b.ticket}`, b.token);
    expect(loggedOut.status).toBe(401);
    expect(await laneAnswers()).toBe(before);
  });
});
