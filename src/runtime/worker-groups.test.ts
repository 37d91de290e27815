import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createInProcessEventBus } from '../platform/bus/in-process-event-bus.js';
import { createPgliteDatabase } from '../platform/db/database.js';
import type { Worker } from '../platform/service.js';
import { createMetrics } from '../platform/telemetry/metrics.js';
import { createTestEnvelope } from '../../test/support/envelope.js';
import { createCommerceModules } from './commerce-modules.js';
import { groupOf, isProcessLocal, selectWorkers } from './worker-groups.js';

const fake = (name: string): Worker => ({ name, start() {}, stop: async () => {} });

describe('worker groups', () => {
  it('when the commerce services are built, then each of their loops is a job of one group or a process-local loop', async () => {
    const db = await createPgliteDatabase(undefined);
    try {
      const commerce = createCommerceModules({ db, bus: createInProcessEventBus(), logger: pino({ level: 'silent' }), metrics: createMetrics('t'), envelope: createTestEnvelope(), pspUrl: 'http://127.0.0.1:9' });
      const workers = commerce.modules.flatMap((m) => m.workers ?? []);
      const unclassified = workers.filter((w) => !isProcessLocal(w) && groupOf(w) === undefined).map((w) => w.name);
      expect(unclassified).toEqual([]);
      expect(workers.filter((w) => groupOf(w) === 'outbox-relays').map((w) => w.name).sort()).toEqual(['flash_sales-outbox-relay', 'inventory-outbox-relay', 'orders-outbox-relay', 'payments-outbox-relay']);
      expect(workers.filter((w) => groupOf(w) === 'payments').map((w) => w.name)).toEqual(['payments-charge-worker']);
    } finally {
      await db.close();
    }
  });

  it('when an API process runs no groups, then it keeps only its process-local loops (and jobs nobody classified); a worker process keeps its groups', () => {
    const all = ['orders-outbox-relay', 'payments-charge-worker', 'orders-compensations', 'inventory-reservation-expiry', 'someone-new'].map(fake);
    expect(selectWorkers(all, [], 'api').map((w) => w.name)).toEqual(['orders-compensations', 'someone-new']);
    expect(selectWorkers(all, ['payments', 'outbox-relays'], 'worker').map((w) => w.name)).toEqual(['orders-outbox-relay', 'payments-charge-worker', 'orders-compensations']);
  });
});
