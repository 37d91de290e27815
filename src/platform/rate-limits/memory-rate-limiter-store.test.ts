import { rateLimiterContract } from './rate-limiter.contract-test.js';
import { createMemoryRateLimiterStore } from './memory-rate-limiter-store.js';

rateLimiterContract('memory', createMemoryRateLimiterStore);
