import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startAllInOne } from '../../src/runtime/all-in-one.js';
import { createApi } from '../support/api.js';
import { comparable, jsonOf as json, metricValue, problemOf, rawPost, remaining, type RawAnswer } from '../support/raw-post.js';

// per customer and minute: each test uses guests of its own, and the counting test reaches it
const LIMIT = 12;

describe('add-to-cart on the HTTP fast lane (all-in-one, real HTTP)', () => {
  let dataDir: string;
  let shop: Awaited<ReturnType<typeof startAllInOne>>;
  let variants: string[];
  const api = () => createApi(shop.url);
  const laneAnswers = () => metricValue(shop.url, 'floodgate_http_fast_lane_answers_total{route="/v1/carts/:id/items"');
  /** a guest (whose token the shop has verified: the lane only takes tokens it knows) and an empty cart */
  const guestWithCart = async () => {
    const token = (await api().post('/v1/auth/guest')).body.accessToken as string;
    const cart = await api().post('/v1/carts', {}, { token });
    expect(cart.status).toBe(201);
    return { token, path: `/v1/carts/${cart.body.id}/items`, cartId: cart.body.id as string };
  };
  const add = (variantId: string, quantity = 1) => JSON.stringify({ variantId, quantity });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'floodgate-add-lane-'));
    const config = loadConfig({ PORT: '0', FLOODGATE_DATA_DIR: dataDir, FLOODGATE_DEMO_PRODUCTS: '20', LOG_LEVEL: 'silent', LOG_FORMAT: 'json', SHUTDOWN_IDLE_GRACE_MS: '0', RATE_LIMIT_CART_WRITE_PER_CUSTOMER: `${LIMIT}/1m` });
    shop = await startAllInOne({ config, seed: true });
    const list = await api().get('/v1/products?limit=6');
    variants = (list.body.items as Array<{ variants: Array<{ id: string }> }>).map((p) => p.variants[0]!.id);
  }, 120_000);
  afterAll(async () => {
    await shop?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('when a plain add arrives, then the lane answers what the route answers (status, headers, cart), counted once in each metric', async () => {
    const { token, path, cartId } = await guestWithCart();
    const before = await laneAnswers();
    const byRoute = await rawPost(shop.url, path, token, add(variants[0]!), { chunked: true });
    expect(await laneAnswers()).toBe(before);
    const byLane = await rawPost(shop.url, path, token, add(variants[0]!));
    expect(await laneAnswers()).toBe(before + 1);

    expect([byRoute.status, byLane.status]).toEqual([201, 201]);
    expect(comparable(byLane)).toEqual(comparable(byRoute));
    expect(remaining(byLane)).toBe(remaining(byRoute) - 1);
    expect(json(byRoute)).toMatchObject({ id: cartId, items: [{ variantId: variants[0], quantity: 1 }] });
    const laneCart = json(byLane);
    expect(laneCart).toEqual({ ...json(byRoute), items: [{ ...json(byRoute).items[0], quantity: 2, lineTotal: { ...json(byRoute).items[0].lineTotal, amount: json(byRoute).items[0].unitPrice.amount * 2 } }], subtotal: { ...json(byRoute).subtotal, amount: json(byRoute).subtotal.amount * 2 } });
    expect((await api().get(`/v1/carts/${cartId}`, { token })).body.items[0].quantity).toBe(2);
  });

  it('when the body is one the route refuses (too many, unknown key, wrong type, not JSON), then the lane hands it to the route: the same 400 naming the field, nothing written', async () => {
    const { token, path, cartId } = await guestWithCart();
    const before = await laneAnswers();
    for (const body of [add(variants[0]!, 100), JSON.stringify({ variantId: variants[0], quantity: 1, price: 1 }), JSON.stringify({ variantId: variants[0], quantity: '1' }), '{"variantId":', '']) {
      const [byRoute, read] = [await rawPost(shop.url, path, token, body, { chunked: true }), await rawPost(shop.url, path, token, body)];
      expect(read.status).toBe(400);
      expect(comparable(read)).toEqual(comparable(byRoute));
      const readProblem = problemOf(read);
      expect(readProblem).toEqual(problemOf(byRoute));
      expect(readProblem.errors?.[0]?.field ?? readProblem.detail).toBeTruthy();
    }
    expect(await laneAnswers()).toBe(before);
    expect((await api().get(`/v1/carts/${cartId}`, { token })).body.items).toEqual([]);
  });

  it('when the lane refuses (an unknown cart), then the problem is the route\'s and it is counted like any answer', async () => {
    const { token } = await guestWithCart();
    const path = `/v1/carts/${uuidv7()}/items`;
    const byRoute = await rawPost(shop.url, path, token, add(variants[0]!), { chunked: true });
    const before = await laneAnswers();
    const byLane = await rawPost(shop.url, path, token, add(variants[0]!));
    expect(await laneAnswers()).toBe(before + 1);
    expect([byRoute.status, byLane.status]).toEqual([404, 404]);
    expect(comparable(byLane)).toEqual(comparable(byRoute));
    expect(problemOf(byLane)).toEqual(problemOf(byRoute));
    expect(json(byLane).requestId).toBe(byLane.headers['x-request-id']);
  });

  it('when adds go by the lane, by the route and through the lane to the route, then the limit counts each exactly once and the next is refused', async () => {
    const { token, path } = await guestWithCart();
    const answers: RawAnswer[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const kind = i % 3;
      answers.push(await rawPost(shop.url, path, token, kind === 2 ? add(variants[0]!, 100) : add(variants[i % variants.length]!), { chunked: kind === 1 }));
    }
    expect(answers.map(remaining)).toEqual(Array.from({ length: LIMIT }, (_, i) => LIMIT - 1 - i));
    const refused = await rawPost(shop.url, path, token, add(variants[0]!));
    expect(refused.status).toBe(429);
    expect(json(refused).code).toBe('RATE_LIMITED');
  });

  it('when a cart answer is over 1 KiB and the client accepts gzip or br, then the lane compresses it as the route does; weights and * are the route\'s to negotiate', async () => {
    const { token, path } = await guestWithCart();
    for (const v of variants.slice(0, 3)) expect((await rawPost(shop.url, path, token, add(v))).status).toBe(201);
    const before = await laneAnswers();
    const byRoute = await rawPost(shop.url, path, token, add(variants[3]!), { chunked: true, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const br = await rawPost(shop.url, path, token, add(variants[4]!), { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const gzip = await rawPost(shop.url, path, token, add(variants[5]!), { headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(await laneAnswers()).toBe(before + 2);
    expect(comparable(br)).toEqual(comparable(byRoute));
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers).toMatchObject({ 'content-encoding': 'gzip', vary: 'accept-encoding' });
    const [routeCart, brCart, gzipCart] = [JSON.parse(brotliDecompressSync(byRoute.body).toString()), JSON.parse(brotliDecompressSync(br.body).toString()), JSON.parse(gunzipSync(gzip.body).toString())];
    expect([routeCart.items.length, brCart.items.length, gzipCart.items.length]).toEqual([4, 5, 6]);
    expect(brCart.items.slice(0, 4)).toEqual(routeCart.items);

    const weighted = await rawPost(shop.url, path, token, JSON.stringify({ variantId: variants[0], quantity: 1 }), { headers: { 'accept-encoding': 'br;q=0.1, gzip' } });
    expect(weighted.headers['content-encoding']).toBe('gzip');
    expect(await laneAnswers()).toBe(before + 2);
  });

  it('when many adds of one line race on the lane, then every unit is counted once', async () => {
    const { token, path, cartId } = await guestWithCart();
    const answers = await Promise.all(Array.from({ length: LIMIT }, () => rawPost(shop.url, path, token, add(variants[1]!))));
    expect(answers.map((a) => a.status)).toEqual(Array(LIMIT).fill(201));
    expect((await api().get(`/v1/carts/${cartId}`, { token })).body.items).toMatchObject([{ variantId: variants[1], quantity: LIMIT }]);
  });

  it('when the token is not one the process knows, then the lane steps aside and the route answers 401', async () => {
    const before = await laneAnswers();
    const answer = await rawPost(shop.url, `/v1/carts/${uuidv7()}/items`, 'not-a-token', add(variants[0]!));
    expect(answer.status).toBe(401);
    expect(await laneAnswers()).toBe(before);
  });
});
