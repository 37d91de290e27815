import { z } from 'zod';
import { safeText } from '../../../platform/http/safe-text.js';

// trimmed and lowercased before the format check, so " Ann@Example.COM " registers as ann@example.com
export const emailSchema = safeText().trim().toLowerCase().pipe(z.email('a valid email address').max(254));

// 8 is OWASP's floor with no composition rules; 128 bounds argon2 work per request
// a password is hashed and never kept, so digits that look like a card number are its owner's business
export const newPasswordSchema = safeText({ cardCheck: false }).min(8, 'at least 8 characters').max(128, 'at most 128 characters');

export const registerBody = z.strictObject({
  email: emailSchema,
  password: newPasswordSchema,
  name: safeText().trim().min(1, 'required').max(100),
}).meta({ examples: [{ email: 'ada@example.com', password: 'correct-horse-battery', name: 'Ada Lovelace' }] });

// no length policy at login: a too-short password is simply wrong, and saying so would leak the rule's age;
// no character policy either: it only goes to argon2 (never to SQL or a log), and accounts made before
// registration refused control characters must still be able to log in
export const loginBody = z.strictObject({ email: emailSchema, password: z.string().min(1).max(128) }).meta({ examples: [{ email: 'ada@example.com', password: 'correct-horse-battery' }] });

export const refreshTokenBody = z.strictObject({ refreshToken: safeText({ cardCheck: false }).min(1).max(256) });

// a guest has no refresh token: it logs out with `{}`, ending the session of its access token (a body
// stays required, so an empty POST is still a 400 like on every other write route)
export const logoutBody = z.strictObject({ refreshToken: z.string().min(1).max(256).optional() });

const customerWithEmail = z.object({ id: z.string(), email: z.string(), name: z.string() });

export const sessionResponse = z.object({
  customer: customerWithEmail,
  accessToken: z.string(),
  /** seconds the access token is valid for */
  expiresIn: z.number().int(),
  refreshToken: z.string(),
}).meta({ id: 'Session', description: 'A logged-in session: the access token to send, and the refresh token that renews it' });

export const refreshResponse = z.object({ accessToken: z.string(), expiresIn: z.number().int(), refreshToken: z.string() });

export const guestResponse = z.object({ customer: z.object({ id: z.string() }), accessToken: z.string(), expiresIn: z.number().int() });

export const meResponse = z.object({
  id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  role: z.enum(['guest', 'customer', 'admin']),
});

const optional = z.string().optional();
// only public EC members are listed, so even a mistaken private member (`d`) is stripped on the way out
export const jwksResponse = z.object({
  keys: z.array(z.object({ kty: optional, crv: optional, x: optional, y: optional, kid: optional, alg: optional, use: optional })),
});

