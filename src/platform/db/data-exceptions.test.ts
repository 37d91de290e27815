import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseAdapters, type TestDatabase } from '../../../test/support/databases.js';
import { toAppError } from '../http/problem-details.js';
import { dataExceptionCode } from './data-exceptions.js';

/** Values each engine refuses with a class-22 SQLSTATE: what a request could once turn into a 500. */
const REFUSED: Array<[string, () => ReturnType<typeof sql>]> = [
  ['NUL in text', () => sql`select ${'a\u0000b'}::text`],
  ['year 0000', () => sql`select ${'0000-01-01T00:00:00.000Z'}::timestamptz`],
  ['year 275760', () => sql`select ${'+275760-09-13T00:00:00.000Z'}::timestamptz`],
  ['36 dashes as a uuid', () => sql`select ${'-'.repeat(36)}::uuid`],
  ['a number beyond bigint', () => sql`select ${'99999999999999999999'}::bigint`],
];

for (const adapter of await databaseAdapters()) {
  describe.skipIf(!adapter.available)(`data exceptions on ${adapter.name}`, () => {
    let handle: TestDatabase;
    beforeAll(async () => { handle = await adapter.create([]); });
    afterAll(() => handle?.dispose());

    it.each(REFUSED)('when the database refuses %s, then the error is a 400 problem, not a 500', async (_label, query) => {
      const err = await query().execute(handle.db.kysely).then(() => undefined, (e: unknown) => e);
      expect(dataExceptionCode(err)).toMatch(/^22/);
      expect(toAppError(err as Error)).toMatchObject({ code: 'INVALID_VALUE', kind: 'bad_request' });
    });
  });
}

describe('data exception classifier', () => {
  it('when an error is not a data exception (unique violation, connection refused, plain error), then it is not one', () => {
    expect(dataExceptionCode(Object.assign(new Error('dup'), { code: '23505' }))).toBeUndefined();
    expect(dataExceptionCode(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(dataExceptionCode(new Error('boom'))).toBeUndefined();
    expect(toAppError(new Error('boom')).kind).toBe('internal');
  });

  it('when a data exception is wrapped as the cause of another error, then it is still found', () => {
    const wrapped = new Error('store failed', { cause: Object.assign(new Error('invalid byte sequence'), { code: '22021' }) });
    expect(dataExceptionCode(wrapped)).toBe('22021');
  });
});
