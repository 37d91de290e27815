import pino, { stdSerializers, type DestinationStream, type Logger } from 'pino';
import { containsCardNumber } from '../http/card-data-guard.js';
import { PAN_CENSOR, redactText } from './log-redaction.js';

export interface LoggerOptions {
  service: string;
  level?: string;
  /** pretty lines for a person at a terminal, JSON for machines */
  pretty?: boolean;
  /** where JSON lines go instead of stdout (tests capture them); ignored when pretty */
  destination?: DestinationStream;
}

/** Keys (any case, any depth) whose values never reach a log line: credentials, tokens, personal data. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'password', 'newpassword', 'currentpassword',
  'token', 'accesstoken', 'refreshtoken', 'admissiontoken', 'paymenttoken', 'idtoken',
  'apikey', 'x-api-key', 'secret', 'clientsecret', 'signingsecret', 'privatekey',
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'admission-token',
  'email', 'phone', 'shippingaddress', 'billingaddress', 'address', 'line1', 'line2', 'postalcode',
  'card', 'cardnumber', 'cvc',
]);

/**
 * What a database error carries about the statement that failed: PGlite attaches `query` and the
 * positional `params` (an email, a password hash, an address…), pg's `detail`, `hint` and `where` quote
 * the offending row's values. An error line keeps its message, code and stack, never these.
 */
export const DATABASE_ERROR_KEYS: ReadonlySet<string> = new Set(['query', 'params', 'parameters', 'detail', 'hint', 'where', 'internalquery', 'internalposition']);

const CENSOR = '[redacted]';
const SERIALIZED_ERROR_PROTO = Object.getPrototypeOf(stdSerializers.err(new Error('probe'))) as object;
const MAX_DEPTH = 8;

const isPlainObject = (value: object): value is Record<string, unknown> => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

/**
 * Returns `value` with every secret key censored and every personal value (email, JWT, hash,
 * payment token, card number) redacted whatever its key, copying only the objects on the way to
 * a secret (an ordinary request line is returned as is). A key-name walk instead of pino's
 * path-based `redact`: covering every depth with paths cost ~65 µs a line, the walk a few µs.
 * Errors anywhere are serialized and scrubbed; other class instances are left alone.
 */
export function scrubSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  // 13+ digit integers only: a card number sent as a JSON number
  if (typeof value === 'number') return value >= 1e12 && containsCardNumber(value) ? PAN_CENSOR : value;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (value instanceof Error) return scrubError(value, depth);
  if (Object.getPrototypeOf(value) === SERIALIZED_ERROR_PROTO) return scrubSerializedError(value as Record<string, unknown>, depth);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const scrubbed = scrubSecrets(value[i], depth + 1);
      if (scrubbed !== value[i]) (copy ??= value.slice())[i] = scrubbed;
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const original = value[key];
    const scrubbed = SECRET_KEYS.has(key.toLowerCase()) ? (original == null ? original : CENSOR) : scrubSecrets(original, depth + 1);
    if (scrubbed !== original) (copy ??= { ...value })[key] = scrubbed;
  }
  return copy ?? value;
}

/** An error as pino serializes it (causes' messages and stacks folded in), with its own properties scrubbed one by one. */
function scrubSerializedError(serialized: Record<string, unknown>, depth: number) {
  for (const key of Object.keys(serialized)) {
    const lower = key.toLowerCase();
    const original = serialized[key];
    if (SECRET_KEYS.has(lower) || DATABASE_ERROR_KEYS.has(lower)) serialized[key] = original == null ? original : CENSOR;
    // nested errors (aggregate members, an error held in a property) arrive already serialized; scrubSecrets knows them
    else serialized[key] = depth < MAX_DEPTH ? scrubSecrets(original, depth + 1) : CENSOR;
  }
  return serialized;
}

function scrubError(err: Error, depth = 0) {
  return scrubSerializedError(stdSerializers.err(err) as unknown as Record<string, unknown>, depth);
}

/** formatters.log has usually serialized `err` already; an error given another way is serialized here. */
const serializeErr = (err: unknown) => (err instanceof Error ? scrubError(err) : err);

/**
 * JSON lines with `service` on every line; Fastify adds `reqId`, create-http-app adds `traceId`
 * when tracing is on. Pretty (pino-pretty) only when a person is watching a terminal.
 */
export function createLogger({ service, level = 'info', pretty = process.stdout.isTTY, destination }: LoggerOptions): Logger {
  const options = {
    level,
    base: { service },
    formatters: {
      log: (object: Record<string, unknown>) => scrubSecrets(object) as Record<string, unknown>,
    },
    // an error's own properties (a driver's `config.headers`, a client's `body`) are scrubbed too
    serializers: { err: serializeErr },
    hooks: {
      // the message and its interpolation values are text too: `log.info(`welcome ${email}`)` must not leak
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        const [first] = args;
        // `log.error(err)` takes its message from the error: serialize it here so that message is scrubbed too
        if (first instanceof Error) args = [{ err: first }, ...(args.length > 1 ? args.slice(1) : [first.message])];
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)));
      },
    },
  };
  const logger = pretty
    ? pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } })
    : destination ? pino(options, destination) : pino(options);
  // pino does not run formatters on a child's bindings; children inherit this from the root by prototype
  const child = logger.child;
  logger.child = function scrubbedChild(this: Logger, bindings, childOptions) {
    return child.call(this, scrubSecrets(bindings) as typeof bindings, childOptions);
  } as Logger['child'];
  return logger;
}
