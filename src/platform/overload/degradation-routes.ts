import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { operation } from '../http/api-operation.js';
import { auditContextOf } from '../http/audit-context.js';
import type { HttpApp, ServiceModule } from '../service.js';
import { DEGRADATION_MODES, DEGRADATION_SWITCHES, type DegradationRegistry, type DegradationSwitch } from './degradation.js';
import type { DegradationSettings } from './degradation-sync.js';

const switchNames = Object.keys(DEGRADATION_SWITCHES) as [DegradationSwitch, ...DegradationSwitch[]];

const switchView = z.object({
  name: z.enum(switchNames),
  mode: z.enum(DEGRADATION_MODES),
  degraded: z.boolean(),
  pressure: z.boolean(),
  fallback: z.string(),
}).meta({ id: 'DegradationSwitch', description: 'A degradation switch and its state in this process' });

function registerDegradationRoutes(app: HttpApp, { registry, settings, audit }: DegradationDeps) {
  app.get(
    '/v1/admin/degradation',
    {
      config: { auth: 'admin' },
      schema: {
        ...operation('operations', {
          operationId: 'listDegradationSwitches',
          summary: "Degradation switches: each one's setting and whether its fallback is in use in this process",
          description: 'Admin only; never cached.',
        }),
        response: { 200: z.object({ items: z.array(switchView) }) },
      },
    },
    async (_req, reply) => reply.header('cache-control', 'no-store').send({ items: registry.list() }),
  );

  app.put(
    '/v1/admin/degradation/:switch',
    {
      config: { auth: 'admin' },
      schema: {
        ...operation('operations', {
          operationId: 'setDegradationSwitch',
          summary: 'Set a degradation switch: auto (follows load shedding), on (fallback always) or off (never); reaches every process within a second',
          description: 'An absolute setting, so retrying it is safe. Admin only; audited.',
        }),
        params: z.strictObject({ switch: z.enum(switchNames) }),
        body: z.strictObject({ mode: z.enum(DEGRADATION_MODES) }),
        response: { 200: switchView },
      },
    },
    async (req, reply) => {
      const name = req.params.switch;
      const before = registry.mode(name);
      await settings.set(name, req.body.mode);
      await audit.record({ ...auditContextOf(req), action: 'degradation.switch_set', target: { type: 'degradation_switch', id: name }, details: { from: before, to: req.body.mode } });
      return reply.header('cache-control', 'no-store').send(registry.list().find((s) => s.name === name)!);
    },
  );
}

export interface DegradationDeps {
  registry: DegradationRegistry;
  settings: DegradationSettings;
  audit: AuditLog;
}

/** The switches' admin routes as a module, hosted by any process that serves HTTP. */
export function createDegradationModule(deps: DegradationDeps): ServiceModule<DegradationRegistry> {
  return { name: 'degradation', routes: (app) => registerDegradationRoutes(app, deps), client: deps.registry, workers: [] };
}
