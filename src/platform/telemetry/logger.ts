import pino, { type DestinationStream, type Logger } from 'pino';

export interface LoggerOptions {
  service: string;
  level?: string;
  /** pretty lines for a person at a terminal, JSON for machines */
  pretty?: boolean;
  /** where JSON lines go instead of stdout (tests capture them); ignored when pretty */
  destination?: DestinationStream;
}

/** Keys whose values never reach a log line: credentials, tokens and personal data. */
export const SECRET_KEYS = [
  'password', 'newPassword', 'currentPassword',
  'token', 'accessToken', 'refreshToken', 'admissionToken', 'paymentToken', 'idToken',
  'apiKey', 'secret', 'clientSecret', 'signingSecret', 'privateKey',
  'authorization', 'Authorization', 'cookie', 'Cookie', 'set-cookie', 'x-api-key', 'X-Api-Key', 'admission-token',
  'email', 'phone', 'shippingAddress', 'billingAddress', 'address', 'line1', 'line2', 'postalCode',
  'card', 'cardNumber', 'cvc',
] as const;

// pino's wildcard matches exactly one level, so each key is listed at the depths where a careless
// `log.info({ body })`, `log.info({ req: { headers } })` or `log.info({ input: { customer: … } })` puts it
const DEPTHS = ['', '*.', '*.*.', '*.*.*.'];
const pathOf = (prefix: string, key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${prefix}${key}` : `${prefix}["${key}"]`);

/** Paths never written to logs (pino redact syntax). */
export const REDACTED_PATHS = DEPTHS.flatMap((prefix) => SECRET_KEYS.map((key) => pathOf(prefix, key)));

/**
 * JSON lines with `service` on every line; Fastify adds `reqId`, create-http-app adds `traceId`
 * when tracing is on. Pretty (pino-pretty) only when a person is watching a terminal.
 */
export function createLogger({ service, level = 'info', pretty = process.stdout.isTTY, destination }: LoggerOptions): Logger {
  const options = {
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  if (pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return destination ? pino(options, destination) : pino(options);
}
