import { eventBusContract } from './event-bus.contract-test.js';
import { createInProcessEventBus } from './in-process-event-bus.js';

eventBusContract('in-process', async () => createInProcessEventBus());
