import type { Envelope } from '../../../platform/crypto/envelope.js';

/**
 * How an account's personal data is kept at rest. Email and name are sealed (AES-256-GCM under a
 * per-value data key; the aad names table, column and row, so a sealed value moved to another row
 * or column does not open). The email also gets a blind index: an HMAC of the normalised email
 * under a key derived from the current key-encryption key, so equality lookups (login, "email
 * taken") work without the database ever holding the address in clear.
 */
export const EMAIL_INDEX_PURPOSE = 'customers.accounts.email';

/** what counts as "the same email": the registration schema trims and lower-cases too */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export const emailAad = (accountId: string) => `customers.accounts.email:${accountId}`;
export const nameAad = (accountId: string) => `customers.accounts.name:${accountId}`;

export interface SealedAccountFields {
  email_index: string | null;
  email_sealed: string | null;
  name_sealed: string | null;
}

export interface AccountPersonalData {
  seal(accountId: string, fields: { email: string | null; name: string | null }): SealedAccountFields;
  open(accountId: string, fields: SealedAccountFields): { email: string | null; name: string | null };
  emailIndex(email: string): string;
}

export function createAccountPersonalData(envelope: Envelope): AccountPersonalData {
  const emailIndex = (email: string) => envelope.blindIndex(normaliseEmail(email), EMAIL_INDEX_PURPOSE);
  return {
    emailIndex,
    seal: (id, { email, name }) => ({
      email_index: email === null ? null : emailIndex(email),
      email_sealed: email === null ? null : envelope.seal(email, emailAad(id)),
      name_sealed: name === null ? null : envelope.seal(name, nameAad(id)),
    }),
    open: (id, row) => ({
      email: row.email_sealed === null ? null : envelope.open(row.email_sealed, emailAad(id)),
      name: row.name_sealed === null ? null : envelope.open(row.name_sealed, nameAad(id)),
    }),
  };
}
