import { counterStoreContract } from './counter-store.contract-test.js';
import { createMemoryCounterStore } from './memory-counter-store.js';

counterStoreContract('memory', createMemoryCounterStore);
