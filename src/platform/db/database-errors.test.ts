import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, describeDatabaseError, isDatabaseUnavailable, isRetryableTransactionError, isTransactionConflict, isTransientDatabaseError } from './database-errors.js';

const coded = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

describe('database error classification', () => {
  it.each([
    ['connection refused', coded('ECONNREFUSED')],
    ['connection reset', coded('ECONNRESET')],
    ['host unreachable', coded('EHOSTUNREACH')],
    ['terminated backend (57P01)', coded('57P01', 'terminating connection due to administrator command')],
    ['crash restart (57P02)', coded('57P02')],
    ['starting up (57P03)', coded('57P03', 'the database system is starting up')],
    ['too many connections (53300)', coded('53300')],
    ['connection failure class 08', coded('08006')],
    ['statement timeout (57014)', coded('57014', 'canceling statement due to statement timeout')],
    ['pg lost socket', new Error('Connection terminated unexpectedly')],
    ['pg-pool wait', new Error('timeout exceeded when trying to connect')],
    ['pg query deadline', new Error('Query read timeout')],
    ['pg dead client', new Error('Client has encountered a connection error and is not queryable')],
    ['our guard', new DatabaseUnavailableError('unreachable')],
    ['wrapped in a cause', new Error('checkout failed', { cause: coded('57P01') })],
  ])('when the error is %s, then the database is unavailable (503)', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(isTransientDatabaseError(err)).toBe(true);
  });

  it.each([
    ['unique violation', coded('23505')],
    ['bad input (class 22)', coded('22P02', 'invalid input syntax for type uuid')],
    ['syntax error', coded('42601')],
    ['undefined table', coded('42P01')],
    ['a business error', new Error('insufficient stock')],
    ['a string', 'nope'],
    ['nothing', undefined],
    // a server message that merely mentions a phrase is judged by its SQLSTATE, not its words
    ['a check violation mentioning a timeout', coded('23514', 'Query read timeout in constraint')],
  ])('when the error is %s, then it is not a database outage', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('when a transaction lost a conflict or its connection, then it is retryable; a timeout or a refused connect is not', () => {
    expect(isTransactionConflict(coded('40001'))).toBe(true);
    expect(isTransactionConflict(coded('40P01'))).toBe(true);
    expect(isRetryableTransactionError(coded('40001'))).toBe(true);
    expect(isRetryableTransactionError(coded('57P01'))).toBe(true);
    expect(isRetryableTransactionError(coded('ECONNRESET'))).toBe(true);
    expect(isRetryableTransactionError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isRetryableTransactionError(coded('ECONNREFUSED'))).toBe(false);
    expect(isRetryableTransactionError(new Error('Query read timeout'))).toBe(false);
    expect(isRetryableTransactionError(coded('57014'))).toBe(false);
    expect(isRetryableTransactionError(coded('23505'))).toBe(false);
  });

  it('when an error is described for a log, then it is one line with its code and no stack', () => {
    const line = describeDatabaseError(coded('57P01', 'terminating connection due to administrator command'));
    expect(line).toBe('57P01 terminating connection due to administrator command');
    const wrapped = describeDatabaseError(new DatabaseUnavailableError('The database is unreachable', { cause: coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432') }));
    expect(wrapped).toBe('FLOODGATE_DB_UNAVAILABLE The database is unreachable (ECONNREFUSED connect ECONNREFUSED 127.0.0.1:5432)');
  });
});
