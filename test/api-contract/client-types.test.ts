import { readFileSync, writeFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { useTestShop } from '../support/shop.js';

const TYPES = 'src/client/api-types.ts';
const HEADER = '// Generated from /v1/openapi.json by openapi-typescript (test/api-contract/client-types.test.ts). Do not edit:\n// after changing a route, run `UPDATE_CLIENT_TYPES=1 npx vitest run test/api-contract/client-types.test.ts`.\n';

/**
 * The SDK's types are generated from the document the server serves, and committed so the SDK builds
 * without a running server. This test regenerates them and fails when the committed file is stale: a route
 * change that the SDK does not see cannot be merged.
 */
describe('the client SDK types', () => {
  const ctx = useTestShop('pglite');

  it('when the types are generated from the served document, then they are the committed ones', async () => {
    const doc = (await ctx.api.get('/v1/openapi.json')).body;
    const generated = HEADER + astToString(await openapiTS(doc, { alphabetize: true }));
    if (process.env.UPDATE_CLIENT_TYPES) writeFileSync(TYPES, generated);
    expect(readFileSync(TYPES, 'utf8') === generated, `${TYPES} is stale: UPDATE_CLIENT_TYPES=1 npx vitest run test/api-contract/client-types.test.ts`).toBe(true);
  });
});
