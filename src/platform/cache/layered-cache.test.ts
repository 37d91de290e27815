import { taggedCacheContract } from './tagged-cache.contract-test.js';

taggedCacheContract('in-process only', async () => ({ close: async () => undefined }));
