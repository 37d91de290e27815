import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { EventBus } from '../platform/bus/event-bus.js';
import { createInProcessEventBus } from '../platform/bus/in-process-event-bus.js';
import { instrumentEventBus } from '../platform/bus/instrumented-event-bus.js';
import { createRabbitMqEventBus } from '../platform/bus/rabbitmq-event-bus.js';
import type { Metrics } from '../platform/telemetry/metrics.js';

export interface OpenedEventBus {
  bus: EventBus;
  /** /readyz checks: RabbitMQ connected (none for the in-process bus) */
  readinessChecks: Record<string, () => Promise<void>>;
}

/** RabbitMQ when AMQP_URL is set, the in-process bus otherwise; both measured the same way. */
export function openEventBus(config: Config, logger: Logger, metrics: Metrics): OpenedEventBus {
  if (!config.amqp) return { bus: instrumentEventBus(createInProcessEventBus(), metrics), readinessChecks: {} };
  const rabbit = createRabbitMqEventBus({ ...config.amqp, logger: logger.child({ module: 'rabbitmq' }) });
  return {
    bus: instrumentEventBus(rabbit, metrics),
    readinessChecks: {
      rabbitmq: async () => {
        if (!rabbit.isConnected()) throw new Error('not connected to RabbitMQ');
      },
    },
  };
}
