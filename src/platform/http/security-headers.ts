import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * The API answers JSON, which never needs to run script, load anything or be framed: the default
 * policy forbids all of it. Pages that do render (/docs, /ops) set their own narrower-than-needed
 * policy on their routes, which replaces this one.
 */
export const API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Swagger UI at /docs: its own scripts, styles and data: icons, and the spec from this origin.
 * It applies one inline style, hence 'unsafe-inline' for styles only (scripts stay 'self').
 */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Runs helmet once against a recording response and keeps the headers it set. Our policy is the
 * same for every answer, and @fastify/helmet rebuilds helmet's middleware (parsing the CSP
 * directives) on every request: measured at about a fifth of a /healthz request's CPU.
 */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  })({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}

const HELMET_HEADERS = helmetHeaders();

/**
 * What protects an answer whatever it holds (OWASP REST Security Cheat Sheet, "Security Headers"): a CSP that
 * lets nothing run or frame it, nosniff, X-Frame-Options, no referrer, same-origin resource policy, HSTS.
 */
const EVERY_ANSWER = ['content-security-policy', 'cross-origin-resource-policy', 'referrer-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options'];

/**
 * The headers every answer carries, the fast lane's (fast-lane.ts) included. helmet's other six (opener policy,
 * origin-agent cluster, DNS prefetch, IE's download options, Flash's cross-domain policy, the XSS auditor off)
 * only mean something for a document a browser renders: on JSON they were ~250 bytes and 6 header writes of
 * every answer, a seventh of a cached product page's bytes. The pages that render carry them
 * (DOCUMENT_SECURITY_HEADERS).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(EVERY_ANSWER.map((name) => [name, HELMET_HEADERS[name]!])));

/** the rest of helmet's set, for HTML pages (/docs, /ops, the waiting-room page): set beside their own CSP */
export const DOCUMENT_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(HELMET_HEADERS).filter(([name]) => !EVERY_ANSWER.includes(name))),
);

/**
 * Security headers on every answer: CSP, nosniff, X-Frame-Options DENY, no referrer, same-origin resource
 * policy, HSTS (honoured by browsers only over HTTPS, e.g. behind the TLS proxy). Set on request, so a route
 * that renders a page may replace the CSP with its own (and adds DOCUMENT_SECURITY_HEADERS).
 */
export const securityHeaders = fp(
  async (app: FastifyInstance) => {
    const headers = SECURITY_HEADERS;
    // callback-style: an async hook costs a promise per request
    app.addHook('onRequest', (_req, reply, done) => {
      reply.headers(headers);
      done();
    });
  },
  { name: 'floodgate-security-headers', fastify: '5.x' },
);
