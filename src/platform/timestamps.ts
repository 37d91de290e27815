/**
 * An instant exactly as `Date#toISOString` writes it, with a four-digit year from 0001 on. Cursors
 * carry such instants back to SQL: JavaScript dates reach ±275760 and year 0000, which PostgreSQL's
 * timestamptz refuses (a data exception, once a 500), so a decoded cursor is checked against this.
 */
const ISO_INSTANT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The Date for an instant this API could have issued; undefined for anything else (Feb 30, year 0, +275760…). */
export function parseIssuedInstant(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return undefined;
  const date = new Date(value);
  // the round trip refuses dates JavaScript would silently roll over
  return !Number.isNaN(date.getTime()) && date.toISOString() === value ? date : undefined;
}
