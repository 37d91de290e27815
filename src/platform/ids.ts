import { randomFillSync } from 'node:crypto';
import { V7Generator } from 'uuidv7';

/**
 * Ids are uuids (UUIDv7 for new rows). Anything else cannot name a row, so stores answer "not
 * found" for it instead of sending it to PostgreSQL, where the uuid cast would fail.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);

/**
 * uuidv7's default generator asks the OS for random words per id, so a request id per answer made
 * `randomFillSync` ~3 % of a cheap request's CPU (profile of /healthz under load), and a hold id ~3 % of a
 * sold-out reservation's. The same generator (same monotonic UUIDv7s) drawing from a 4 KB buffer asks 128 times
 * less often. The words are the same CSPRNG's, fetched in bulk: an id is as unguessable as before (and ids are
 * never secrets here: whoever holds one is still checked against its owner).
 */
function bufferedRandom(words = 1_024) {
  const buffer = new Uint32Array(words);
  let cursor = words;
  return {
    nextUint32(): number {
      if (cursor >= words) {
        randomFillSync(buffer);
        cursor = 0;
      }
      return buffer[cursor++]!;
    },
  };
}

const random = bufferedRandom();

/** a UUIDv7 generator drawing from the buffer, for use cases that stamp ids with their own clock (generateOrResetWithTs) */
export const createIdGenerator = () => new V7Generator(random);

const requestIds = createIdGenerator();
const rowIds = createIdGenerator();

/** a new request id: a UUIDv7, so ids sort by arrival */
export const newRequestId = (): string => requestIds.generate().toString();

/** a new row id (carts, lines, orders, tokens' jti…): a UUIDv7, so rows are inserted in key order */
export const newId = (): string => rowIds.generate().toString();

// trace and span ids: random, not secret; drawn from a 4 KB buffer refilled when spent, since a
// `randomBytes(16)` per request (a getrandom call each) was ~5 % of a /healthz request's CPU (profile 2026-11-30)
const traceRandom = Buffer.alloc(4_096);
let traceCursor = traceRandom.length;
const randomHex = (bytes: number): string => {
  if (traceCursor + bytes > traceRandom.length) {
    randomFillSync(traceRandom);
    traceCursor = 0;
  }
  const hex = traceRandom.toString('hex', traceCursor, traceCursor + bytes);
  traceCursor += bytes;
  return hex;
};

/** a new W3C trace id: 32 hex digits, never all zeros */
export const newTraceId = (): string => {
  const id = randomHex(16);
  return /^0+$/.test(id) ? newTraceId() : id;
};

/** a new W3C span (parent) id: 16 hex digits */
export const newSpanId = (): string => randomHex(8);
