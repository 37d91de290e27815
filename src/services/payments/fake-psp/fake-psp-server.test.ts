import { randomUUID } from 'node:crypto';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakePspPaymentProvider } from '../providers/fake-psp-payment-provider.js';
import { containsCardNumber } from '../../../platform/http/card-data-guard.js';
import { createFakePspServer } from './fake-psp-server.js';
import { startFakePsp, type RunningFakePsp } from './start-fake-psp.js';

const SLOW_MS = 300;

describe('fake PSP ids', () => {
  // a hex id the guard reads as a card number: its digits `4111111111111111` are a Visa number
  const CARD_LIKE = 'ab4111111111111111cdefab';

  it('when a drawn id would read as a card number, then another is drawn, so every charge it issues can be refunded', async () => {
    expect(containsCardNumber({ chargeId: `ch_${CARD_LIKE}` })).toBe(true);
    const draws = [CARD_LIKE, '0a1b2c3d4e5f6a7b8c9d0e1f', CARD_LIKE, 'ffeeddccbbaa998877665544'];
    const random = () => Buffer.from(draws.shift() ?? randomUUID().replaceAll('-', '').slice(0, 24), 'hex');
    const app = await createFakePspServer({ logger: pino({ level: 'silent' }), random });
    try {
      const post = (url: string, payload: object) => app.inject({ method: 'POST', url, headers: { 'idempotency-key': randomUUID() }, payload });
      const charged = await post('/v1/charges', { amount: 1999, currency: 'USD', token: 'tok_visa' });
      expect(charged.statusCode).toBe(201);
      expect(charged.json().id).toBe('ch_0a1b2c3d4e5f6a7b8c9d0e1f');
      const refunded = await post('/v1/refunds', { chargeId: charged.json().id });
      expect(refunded.statusCode).toBe(201);
      expect(refunded.json()).toMatchObject({ id: 're_ffeeddccbbaa998877665544', status: 'refunded' });
    } finally {
      await app.close();
    }
  });
});

describe('fake PSP', () => {
  let psp: RunningFakePsp;
  beforeAll(async () => {
    psp = await startFakePsp({ logger: pino({ level: 'silent' }), slowMs: SLOW_MS });
  });
  afterAll(() => psp?.close());

  const post = async (path: string, body: unknown, key: string | null = randomUUID()) => {
    const res = await fetch(`${psp.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const charge = (token: string, key: string = randomUUID(), amount = 1999) => post('/v1/charges', { amount, currency: 'USD', token }, key);

  it('when tok_visa is charged, then 201 captured and the charge can be read back', async () => {
    const res = await charge('tok_visa');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.stringMatching(/^ch_/), status: 'captured', amount: 1999, currency: 'USD' });
    const read = await fetch(`${psp.url}/v1/charges/${res.body.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: res.body.id, status: 'captured' });
  });

  it('when tok_declined is charged, then 402 declined with card_declined', async () => {
    const res = await charge('tok_declined');
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ status: 'declined', reason: 'card_declined', id: expect.any(String) });
  });

  it('when tok_slow is charged, then it is captured only after the configured delay', async () => {
    const started = Date.now();
    const res = await charge('tok_slow');
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('captured');
    expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_MS - 20);
  });

  it('when tok_flaky is charged, then the first two attempts per key answer 503 issuer_unavailable (about this charge) and the third captures', async () => {
    const key = randomUUID();
    for (let i = 0; i < 2; i++) {
      const failed = await charge('tok_flaky', key);
      expect(failed).toMatchObject({ status: 503, body: { error: { code: 'issuer_unavailable' } } });
    }
    expect((await fetch(`${psp.url}/healthz`)).status).toBe(200);
    const third = await charge('tok_flaky', key);
    expect(third.status).toBe(201);
    expect((await charge('tok_flaky', key)).body.id).toBe(third.body.id);
    expect((await psp.stats()).capturesByKey[key]).toBe(1);
    expect((await charge('tok_flaky')).status).toBe(503);
  });

  it('when an unknown token is charged, then 400 invalid_token and nothing is captured', async () => {
    const key = randomUUID();
    const res = await charge('tok_unknown', key);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_token');
    expect((await psp.stats()).capturesByKey[key]).toBeUndefined();
  });

  it('when the same key comes back with the same body, then the same charge is answered and captured once', async () => {
    const key = randomUUID();
    const first = await charge('tok_visa', key);
    const second = await charge('tok_visa', key);
    expect(second).toEqual(first);
    expect((await psp.stats()).capturesByKey[key]).toBe(1);
  });

  it('when the same key comes back with a different body, then 422', async () => {
    const key = randomUUID();
    expect((await charge('tok_visa', key, 1000)).status).toBe(201);
    const res = await charge('tok_visa', key, 2000);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('idempotency_key_reused');
  });

  it('when 50 charges with one key race, then every answer names one charge and /_stats shows one capture', async () => {
    const key = randomUUID();
    const before = (await psp.stats()).captures;
    const results = await Promise.all(Array.from({ length: 50 }, () => charge('tok_visa', key)));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.every((r) => r.status === 201)).toBe(true);
    const stats = await psp.stats();
    expect(stats.capturesByKey[key]).toBe(1);
    expect(stats.captures).toBe(before + 1);
  });

  it('when 20 slow charges with one key race, then they all wait for the one capture', async () => {
    const key = randomUUID();
    const results = await Promise.all(Array.from({ length: 20 }, () => charge('tok_slow', key)));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect((await psp.stats()).capturesByKey[key]).toBe(1);
  });

  it('when anything looks like a card number, then 400 card_data_rejected and nothing is recorded', async () => {
    const key = randomUUID();
    for (const body of [
      { amount: 100, currency: 'USD', token: '4242424242424242' },
      { amount: 100, currency: 'USD', token: 'tok_4111 1111 1111 1111' },
      { amount: 100, currency: 'USD', token: 'tok_visa', card: { number: '5555-5555-5555-4444' } },
      { amount: 100, currency: 'USD', token: 'tok_visa', pan: 4242424242424242 },
    ]) {
      const res = await post('/v1/charges', body, key);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('card_data_rejected');
    }
    // the key was never used, so a proper charge with it still works
    expect((await charge('tok_visa', key)).status).toBe(201);
  });

  it('when the idempotency key is missing or the body is malformed, then 400', async () => {
    expect((await post('/v1/charges', { amount: 100, currency: 'USD', token: 'tok_visa' }, null)).status).toBe(400);
    expect((await post('/v1/charges', { amount: -1, currency: 'USD', token: 'tok_visa' })).status).toBe(400);
    expect((await post('/v1/charges', { amount: 1, currency: 'USD', token: 'tok_visa', extra: true })).status).toBe(400);
  });

  it('when a captured charge is refunded, then 201 refunded, replayable by key, and counted once', async () => {
    const captured = await charge('tok_visa');
    const before = (await psp.stats()).refunds;
    const key = randomUUID();
    const refund = await post('/v1/refunds', { chargeId: captured.body.id }, key);
    expect(refund.status).toBe(201);
    expect(refund.body).toMatchObject({ id: expect.stringMatching(/^re_/), status: 'refunded', chargeId: captured.body.id });
    expect(await post('/v1/refunds', { chargeId: captured.body.id }, key)).toEqual(refund);
    const otherKey = await post('/v1/refunds', { chargeId: captured.body.id });
    expect(otherKey.status).toBe(409);
    expect(otherKey.body).toMatchObject({ error: { code: 'charge_already_refunded' }, refundId: refund.body.id });
    expect((await psp.stats()).refunds).toBe(before + 1);
    expect(await (await fetch(`${psp.url}/v1/charges/${captured.body.id}`)).json()).toMatchObject({ status: 'refunded' });
  });

  it('when a declined or unknown charge is refunded, then it is refused', async () => {
    const declined = await charge('tok_declined');
    expect((await post('/v1/refunds', { chargeId: declined.body.id })).status).toBe(409);
    expect((await post('/v1/refunds', { chargeId: 'ch_missing' })).status).toBe(404);
    expect((await fetch(`${psp.url}/v1/charges/ch_missing`)).status).toBe(404);
  });

  describe('with a ledger file', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'fake-psp-ledger-'));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('when the PSP restarts on its ledger, then every key it decided answers as before and nothing is captured or refunded twice', async () => {
      const ledgerFile = join(dir, 'ledger.jsonl');
      const first = await startFakePsp({ logger: pino({ level: 'silent' }), ledgerFile });
      const provider = createFakePspPaymentProvider({ baseUrl: first.url });
      const [captureKey, declineKey] = [randomUUID(), randomUUID()];
      const captured = await provider.charge({ amount: 500, currency: 'USD', token: 'tok_visa', idempotencyKey: captureKey });
      const declined = await provider.charge({ amount: 500, currency: 'USD', token: 'tok_declined', idempotencyKey: declineKey });
      if (captured.status !== 'captured') throw new Error('expected a capture');
      const refunded = await provider.refund({ reference: captured.reference, idempotencyKey: `refund:${captureKey}` });
      await provider.close();
      await first.close();
      // a kill in the middle of a write leaves a torn last line; the restart skips it
      await appendFile(ledgerFile, '{"t":"charge","key":"torn');

      const second = await startFakePsp({ logger: pino({ level: 'silent' }), ledgerFile });
      const again = createFakePspPaymentProvider({ baseUrl: second.url });
      try {
        expect(await again.charge({ amount: 500, currency: 'USD', token: 'tok_visa', idempotencyKey: captureKey })).toEqual(captured);
        expect(await again.charge({ amount: 500, currency: 'USD', token: 'tok_declined', idempotencyKey: declineKey })).toEqual(declined);
        expect(await again.refund({ reference: captured.reference, idempotencyKey: `refund:${captureKey}` })).toEqual(refunded);
        expect(await second.stats()).toMatchObject({ captures: 1, declines: 1, refunds: 1, capturesByKey: { [captureKey]: 1 } });
      } finally {
        await again.close();
        await second.close();
      }
    });
  });
});
