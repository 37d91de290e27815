/**
 * PostgreSQL's class 22 ("data exception"): a value the column or cast refuses — NUL in text
 * (22021), a date out of range (22008), a number too large (22003), text too long (22001), a bad
 * uuid (22P02). Input validation should stop every one of these first; one that still reaches the
 * database came from a request, so it is the client's 400, never our 500.
 */
const DATA_EXCEPTION = /^22[0-9A-Z]{3}$/;

/** The SQLSTATE of a data exception raised by pg or PGlite (both set `code`), looking through `cause`s; else undefined. */
export function dataExceptionCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && DATA_EXCEPTION.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
