import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { redactText } from './log-redaction.js';

const EMAIL = 'jane.doe+shop@example.co.uk';
const JWT = 'eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g';
const TOKEN = 'tok_visa_8f3a9c';
const PAN = '4111 1111 1111 1111';
const ADDRESS = '742 Evergreen Terrace';
const SECRETS = [EMAIL, JWT, HASH, TOKEN, PAN, ADDRESS, '4111111111111111'];

function capture() {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } });
  return { lines, logger: createLogger({ service: 't', level: 'debug', pretty: false, destination }) };
}

const leaks = (text: string) => SECRETS.filter((s) => text.includes(s));

describe('log redaction by value', () => {
  it('when a text holds an email, a JWT, an argon2 hash, a payment token or a card number, then each is redacted', () => {
    expect(redactText(`login failed for ${EMAIL} with ${JWT}`)).toBe('login failed for [redacted:email] with [redacted:jwt]');
    expect(redactText(`hash ${HASH} token ${TOKEN}`)).toBe('hash [redacted:hash] token [redacted:token]');
    expect(redactText(`card ${PAN.replace(/ /g, '.')} here`)).toBe('[redacted:pan]');
    expect(redactText('order 01922075-8837-7dc2-8123-412345678900 paid')).toBe('order 01922075-8837-7dc2-8123-412345678900 paid');
  });

  it('when personal values sit under innocent keys, at any depth and in the message, then no line shows them', () => {
    const { lines, logger } = capture();
    logger.info({ note: EMAIL, deep: { a: [{ b: { c: `x ${JWT}` } }] }, h: HASH, t: TOKEN, n: 4111111111111111 }, `welcome ${EMAIL}, card ${PAN}`);
    logger.child({ who: EMAIL }).info('child line %s', TOKEN);
    const text = lines.join('');
    expect(leaks(text)).toEqual([]);
    expect(text).toContain('[redacted:email]');
  });

  it('when a PGlite error carries the query and its positional params, then they are dropped and the message is kept', () => {
    const { lines, logger } = capture();
    const err = Object.assign(new Error(`duplicate key for ${EMAIL}`), {
      code: '23505',
      query: `insert into customers.customers (email, password_hash, address) values ($1, $2, '${ADDRESS}')`,
      params: [EMAIL, HASH, ADDRESS],
    });
    logger.error({ err }, 'register failed');
    logger.error(err);
    logger.warn({ failure: err }, 'under another key');
    logger.error({ err: new Error('outer', { cause: err }) }, 'wrapped');
    logger.error({ err: new AggregateError([err], 'many') }, 'aggregate');
    const text = lines.join('');
    expect(leaks(text)).toEqual([]);
    const first = JSON.parse(lines[0]!) as { err: Record<string, unknown> };
    expect(first.err).toMatchObject({ code: '23505', query: '[redacted]', params: '[redacted]', message: 'duplicate key for [redacted:email]' });
  });

  it('when a pg error quotes the row in detail and where, then they are dropped', () => {
    const { lines, logger } = capture();
    const err = Object.assign(new Error('new row violates check constraint'), {
      code: '23514', detail: `Failing row contains (${EMAIL}, ${ADDRESS}).`, where: `PL/pgSQL function f() line 3 at RAISE: ${ADDRESS}`, schema: 'customers',
    });
    logger.error({ err }, 'insert failed');
    expect(leaks(lines.join(''))).toEqual([]);
    expect(JSON.parse(lines[0]!).err).toMatchObject({ detail: '[redacted]', where: '[redacted]', schema: 'customers' });
  });
});
