import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { eventBusContract } from './event-bus.contract-test.js';
import { createInProcessEventBus } from './in-process-event-bus.js';

eventBusContract('in-process', async () => createInProcessEventBus());

describe('in-process event bus', () => {
  it('when a subscriber fails, then publish fails so the outbox keeps the event for redelivery', async () => {
    const bus = createInProcessEventBus();
    bus.subscribe('order.placed', 'payments', async () => { throw new Error('psp down'); });
    await expect(bus.publish({ id: uuidv7(), type: 'order.placed', occurredAt: new Date().toISOString(), payload: {} })).rejects.toThrow(/psp down/);
    await bus.close();
  });
});
