import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

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
 * Security headers on every answer (helmet): CSP, nosniff, X-Frame-Options DENY, no referrer,
 * same-origin resource policy, HSTS (honoured by browsers only over HTTPS, e.g. behind the TLS proxy).
 */
export const securityHeaders = fp(
  async (app: FastifyInstance) => {
    await app.register(fastifyHelmet, {
      global: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"], frameAncestors: ["'none'"] },
      },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    });
  },
  { name: 'floodgate-security-headers', fastify: '5.x' },
);
