/**
 * The audit log: who did what to what, from where, for every admin action and security event.
 * Append-only (the database refuses UPDATE, DELETE and TRUNCATE), so an intruder with the API's
 * own credentials cannot erase their tracks; details never hold secrets or personal data.
 */
export const AUDIT_ACTIONS = [
  'catalog.category_created',
  'catalog.product_created',
  'catalog.product_updated',
  'catalog.product_archived',
  'inventory.stock_set',
  'orders.cancelled',
  'orders.refunded',
  'orders.fulfilled',
  'flash_sale.created',
  'flash_sale.paused',
  'flash_sale.resumed',
  'flash_sale.ended',
  'api_key.created',
  'api_key.revoked',
  'api_key.used',
  'signing_key.rotated',
  'signing_key.retired',
  'account.deactivated',
  'secrets.rewrapped',
  'auth.login_failed',
  'auth.refresh_token_reused',
  'degradation.switch_set',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const ACTOR_TYPES = ['admin', 'customer', 'guest', 'api_key', 'anonymous', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export interface AuditActor {
  type: ActorType;
  /** account id, api key id; null for anonymous callers and the system */
  id: string | null;
}

/** Who is acting and from where; routes build it from the request, commands use SYSTEM_AUDIT_CONTEXT. */
export interface AuditContext {
  actor: AuditActor;
  requestId: string | null;
  clientIp: string | null;
}

export const SYSTEM_AUDIT_CONTEXT: AuditContext = { actor: { type: 'system', id: null }, requestId: null, clientIp: null };

export interface AuditTarget {
  type: string;
  id: string;
}

/** Scalars only: a details object is a summary for a human, never a copy of a request body. */
export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditEntry extends AuditContext {
  action: AuditAction;
  target: AuditTarget | null;
  details?: AuditDetails;
  /**
   * Entries sharing a dedupe key are stored once (e.g. `api_key.used:<id>:<minute>`), across
   * every process, because the database's unique index decides.
   */
  dedupeKey?: string;
}

export interface AuditRecord extends AuditContext {
  id: string;
  action: AuditAction;
  target: AuditTarget | null;
  details: AuditDetails;
  occurredAt: Date;
}

export interface AuditQuery {
  actor?: { type: ActorType; id?: string };
  action?: AuditAction;
  target?: { type: string; id?: string };
  limit: number;
  /** newest first: only entries older (smaller id) than this one */
  beforeId?: string;
}

export interface AuditLog {
  /** throws when the entry could not be stored; callers let that fail the action's answer */
  record(entry: AuditEntry): Promise<void>;
  /** newest first */
  list(query: AuditQuery): Promise<AuditRecord[]>;
}

/** A context with the same actor and request, for use cases that audit on behalf of a caller. */
export const auditEntry = (by: AuditContext, action: AuditAction, target: AuditTarget | null, details?: AuditDetails): AuditEntry => ({
  ...by,
  action,
  target,
  ...(details ? { details } : {}),
});
