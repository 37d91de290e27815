import type { FastifyRequest } from 'fastify';
import type { AuditActor, AuditContext } from '../audit/audit-log.js';
import type { Principal } from '../auth/principal.js';

const API_KEY_PRINCIPAL = 'apikey:';

export function auditActorOf(principal: Principal | null): AuditActor {
  if (!principal) return { type: 'anonymous', id: null };
  if (principal.via === 'api_key') {
    const id = principal.customerId.startsWith(API_KEY_PRINCIPAL) ? principal.customerId.slice(API_KEY_PRINCIPAL.length) : principal.customerId;
    return { type: 'api_key', id };
  }
  return { type: principal.role, id: principal.customerId };
}

/** Who made this request and from where, for the use cases that write audit entries. */
export const auditContextOf = (req: Pick<FastifyRequest, 'principal' | 'id' | 'ip'>): AuditContext => ({
  actor: auditActorOf(req.principal),
  requestId: req.id,
  clientIp: req.ip,
});
