export type AccountRole = 'guest' | 'customer' | 'admin';

export interface Account {
  id: string;
  /** stored as given (normalised by the caller); null for guests */
  email: string | null;
  name: string | null;
  role: AccountRole;
  /** argon2id PHC string; null for guests */
  passwordHash: string | null;
  createdAt: Date;
}

export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  customerId: string;
  /** sha256 hex of the opaque token; the token itself is never stored */
  tokenHash: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

export type NewRefreshToken = Omit<RefreshTokenRecord, 'usedAt' | 'revokedAt'>;

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** the non-secret part shown in listings, so an operator can tell keys apart */
  prefix: string;
  role: 'admin';
  createdAt: Date;
  /** null: never expires */
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** recorded at most once a minute, so a busy integration does not write on every request */
  lastUsedAt: Date | null;
}

export type NewApiKey = Omit<ApiKeyRecord, 'revokedAt' | 'lastUsedAt'> & { keyHash: string };

/** Everything the customers service persists; one adapter per engine family, one contract suite. */
export interface CustomerStore {
  /** false when the email (case-insensitively) already belongs to an account */
  insertAccount(account: Account): Promise<boolean>;
  /** null for unknown ids, including ids that are not UUIDs (api-key principals) */
  findAccountById(id: string): Promise<Account | null>;
  findAccountByEmail(email: string): Promise<Account | null>;
  updateAccount(id: string, changes: { role?: AccountRole; passwordHash?: string }): Promise<void>;
  /** marks the account deactivated (keeping the first time); false for an unknown id */
  deactivateAccount(id: string, at: Date): Promise<boolean>;
  isAccountDeactivated(id: string): Promise<boolean>;

  insertRefreshToken(token: NewRefreshToken): Promise<void>;
  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /**
   * Marks `usedId` used and stores `next` atomically, only if `usedId` is still unused and not
   * revoked; false means someone else used or revoked it first.
   */
  rotateRefreshToken(usedId: string, usedAt: Date, next: NewRefreshToken): Promise<boolean>;
  revokeRefreshFamily(familyId: string, at: Date): Promise<number>;
  revokeRefreshTokensOf(customerId: string, at: Date): Promise<number>;

  insertApiKey(key: NewApiKey): Promise<void>;
  /** oldest first, keyset-paginated on the (time-sortable) id */
  listApiKeys(page: { limit: number; afterId?: string }): Promise<ApiKeyRecord[]>;
  /** revokes (idempotently); the key's hash so caches can drop it, or null for an unknown id */
  revokeApiKey(id: string, at: Date): Promise<{ keyHash: string } | null>;
  /**
   * the live key with this hash (not revoked, not expired at `at`), recording that it was used
   * unless that was recorded less than a minute ago; null when unknown, revoked or expired
   */
  useApiKey(keyHash: string, at: Date): Promise<ApiKeyRecord | null>;
}
