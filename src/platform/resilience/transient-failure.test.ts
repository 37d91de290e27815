import { describe, expect, it } from 'vitest';
import { isTransientFailure } from './transient-failure.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isTransientFailure', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a PostgreSQL serialization failure', withCode('40001')],
    ['a PostgreSQL connection failure (class 08)', withCode('08006')],
    ['an administrator shutdown of the backend', withCode('57P01')],
    ['a lost pg connection', new Error('Connection terminated unexpectedly')],
    ['a PSP error that says so', Object.assign(new Error('PSP 503'), { name: 'TransientPaymentError' })],
    ['an open breaker', Object.assign(new Error('Execution prevented because the circuit breaker is open'), { name: 'BrokenCircuitError' })],
    ['an error marked transient', Object.assign(new Error('busy'), { transient: true })],
    ['a bus error whose subscriber hit a refused connection', new Error('event x failed in s: connect', { cause: withCode('ECONNREFUSED') })],
    ['a bus error whose two subscribers both hit outages', new Error('event x failed', { cause: new AggregateError([withCode('ETIMEDOUT'), withCode('40P01')]) })],
  ])('when it is %s, then it is transient', (_, err) => expect(isTransientFailure(err)).toBe(true));

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'orderId')")],
    ['a constraint violation', withCode('23505', 'duplicate key value')],
    ['a string', 'boom'],
    ['an error marked not transient despite its code', Object.assign(withCode('ECONNREFUSED'), { transient: false })],
    ['a bus error where one of two subscribers has a bug', new Error('event x failed', { cause: new AggregateError([withCode('ETIMEDOUT'), new RangeError('bad quantity')]) })],
  ])('when it is %s, then it is not transient', (_, err) => expect(isTransientFailure(err)).toBe(false));
});
