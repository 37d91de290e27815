import type { AuditAction, AuditContext, AuditDetails, AuditLog, AuditTarget } from './audit-log.js';

export interface AuditDescription {
  action: AuditAction;
  target: AuditTarget;
  details?: AuditDetails;
}

/**
 * An admin use case that leaves exactly one audit entry per successful run, written right after
 * the change; refusals (`ok: false`) change nothing and leave none. If the entry cannot be stored
 * the caller gets the error (and the log line holds the entry), so it is never dropped silently.
 */
export function audited<Args extends unknown[], R extends { ok: boolean }>(
  audit: AuditLog,
  run: (...args: Args) => Promise<R>,
  describe: (result: Extract<R, { ok: true }>, ...args: Args) => AuditDescription,
): (by: AuditContext, ...args: Args) => Promise<R> {
  return async (by, ...args) => {
    const result = await run(...args);
    if (result.ok) {
      const { action, target, details } = describe(result as Extract<R, { ok: true }>, ...args);
      await audit.record({ ...by, action, target, ...(details ? { details } : {}) });
    }
    return result;
  };
}
