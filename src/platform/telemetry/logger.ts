import pino, { type Logger } from 'pino';

export interface LoggerOptions {
  service: string;
  level?: string;
  /** pretty lines for a person at a terminal, JSON for machines */
  pretty?: boolean;
}

/** Paths never written to logs: credentials, tokens and personal data. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["admission-token"]',
  'req.headers.cookie',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
  '*.admissionToken',
  '*.paymentToken',
  '*.shippingAddress',
  '*.email',
];

export function createLogger({ service, level = 'info', pretty = process.stdout.isTTY }: LoggerOptions): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  });
}
