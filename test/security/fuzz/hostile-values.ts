import fc from 'fast-check';

/**
 * Strings that have broken APIs before: control characters (NUL first), unpaired surrogates,
 * bidi and zero-width marks, emoji, numbers in disguise, injection shapes, card numbers and
 * strings too long for any field.
 */
export const HOSTILE_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '%00', '\u0001\u001f\u007f', 'a\u0085b', 'line\nbreak', 'tab\there',
  '\ud800', 'a\udfffb', '\ud83d', '😀'.repeat(40), '👩🏽‍🚀', '\u202eevil\u202c', '\u200f\u200e\u200b', '\ufeffbom', 'ﷺ', 'é'.normalize('NFD'),
  'NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x1F', '1_000', '٣', '９', '9'.repeat(400), 'null', 'true', '[]', '{}',
  "' OR 1=1 --", '"; drop table x; --', '$1', '\\', '../../../etc/passwd', '<script>alert(1)</script>', '${7*7}', '{{7*7}}',
  '__proto__', 'constructor', '4111 1111 1111 1111', 'x4111111111111111', '４１１１１１１１１１１１１１１１',
  'Ω'.repeat(300), 'x'.repeat(5_001), 'y'.repeat(70_000),
];

export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 200, maxLength: 3_000 }) },
  );

/** Numbers a schema should refuse or clamp: out of range, not integers, beyond 2^53, not finite. */
export const hostileNumber = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(-1, 0, 1.5, -0, 2 ** 31, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1e21, 1e308, -1e308, Number.MIN_VALUE),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );

/** JSON nested `depth` levels deep: a parser or validator that recurses must not fall over. */
export const deepNesting = (depth: number) => JSON.parse(`${'['.repeat(depth)}1${']'.repeat(depth)}`) as unknown;

/** Any JSON value of the wrong kind for a field. */
export const hostileValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: hostileString() },
    { weight: 2, arbitrary: hostileNumber() },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], { $gt: '' }, deepNesting(500)) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).map((text) => JSON.parse(text) as unknown) },
  );

/** Properties a client must never set: ownership, roles, prices, totals, stock, timestamps, prototypes. */
export const FORBIDDEN_PROPERTIES = [
  'id', 'customerId', 'role', 'status', 'price', 'total', 'available', 'createdAt', 'updatedAt',
  'passwordHash', 'isAdmin', 'onHand', 'reserved', 'orderId', 'constructor',
];

/** Raw bodies that are not the JSON a route expects, or not JSON at all. */
export const MALFORMED_BODIES = [
  '{', '{"a":', '[', 'null', 'true', '0', '"text"', '{"a":1}garbage', '\u0000', '{"__proto__":{"role":"admin"}}',
  '{"constructor":{"prototype":{"role":"admin"}}}', `${'['.repeat(5_000)}${']'.repeat(5_000)}`, `{"a":"${'z'.repeat(70_000)}"}`,
  '{"a":1,"a":2}', '\ufeff{}', '{"\\ud800":1}',
];
