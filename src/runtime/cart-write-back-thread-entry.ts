// The carts' write-back on a thread of its own (cart-write-back-thread.ts starts it): its own PostgreSQL pool and
// Redis connection, opened from the host's configuration.
import { serveBackgroundThread } from '../platform/threads/serve-thread.js';
import { createLogger } from '../platform/telemetry/logger.js';
import { createMetrics } from '../platform/telemetry/metrics.js';
import { startCartWriteBack } from '../services/carts/index.js';
import type { CartWriteBackThreadData } from './cart-write-back-thread.js';
import { openDatabase } from './open-database.js';
import { openCartWorkingCopy } from './open-shared-state.js';

serveBackgroundThread(async (data) => {
  const { config, service } = data as CartWriteBackThreadData;
  const logger = createLogger({ service: `${service}-carts-write-back`, level: config.logLevel, pretty: config.prettyLogs });
  const metrics = createMetrics(service, { processMetrics: false });
  // a pool of one: the flusher writes one batch at a time (each process's connections count against the server's max)
  const db = await openDatabase({ ...config, databasePoolSize: 1, databasePoolSizes: {} }, metrics, logger);
  const copy = openCartWorkingCopy(config, logger, 'service');
  if (!copy.workingCopy) throw new Error('the carts write-back thread needs REDIS_URL');
  const writeBack = startCartWriteBack({ db, workingCopy: copy.workingCopy, logger, metrics, flushIntervalMs: config.carts.flushIntervalMs });
  return {
    registry: metrics.registry,
    async stop() {
      await writeBack.stop();
      await copy.close();
      await db.close();
    },
  };
});
