import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTestShop } from '../support/shop.js';
import { tempDirs } from '../support/temp-dirs.js';

const run = promisify(execFile);
const tempDir = tempDirs('floodgate-openapi-');

interface LintProblem { ruleId: string; severity: 'error' | 'warn'; message: string; location: Array<{ pointer?: string }> }

/** redocly's JSON report of one document, linted with the repository's redocly.yaml (the recommended ruleset and ours) */
async function lint(file: string): Promise<LintProblem[]> {
  // redocly exits 1 when it finds errors; the report on stdout is what matters either way
  const result = await run(join('node_modules', '.bin', 'redocly'), ['lint', file, '--config', 'redocly.yaml', '--format', 'json', '--max-problems', '1000'], { maxBuffer: 16 * 1024 * 1024 })
    .catch((err: { stdout?: string; stderr?: string }) => {
      if (!err.stdout) throw err;
      return { stdout: err.stdout };
    });
  return (JSON.parse(result.stdout) as { problems: LintProblem[] }).problems;
}

/**
 * The document an integrator's tooling reads, linted by Redocly's recommended ruleset and our rules in
 * redocly.yaml (problem+json on every 4xx/5xx, camelCase operation ids), and no inline duplicate schemas. Before this check existed the
 * document had 25 errors and 91 warnings (no operationId anywhere, no summaries, no security on public
 * reads, no servers, no 4xx documented); it must stay at none of either.
 */
/** inline object schemas (3+ properties) that appear more than once in the operations: each should be one component */
function inlineDuplicates(paths: unknown): string[] {
  const seen = new Map<string, string[]>();
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${at}/${i}`));
    if (!node || typeof node !== 'object') return;
    const schema = node as { type?: unknown; properties?: Record<string, unknown> };
    if (schema.type === 'object' && Object.keys(schema.properties ?? {}).length >= 3) {
      const key = JSON.stringify(schema);
      seen.set(key, [...(seen.get(key) ?? []), at]);
    }
    for (const [key, value] of Object.entries(node)) walk(value, `${at}/${key}`);
  };
  walk(paths, '#/paths');
  return [...seen.values()].filter((places) => places.length > 1).map((places) => `the same inline schema ${places.length} times, first at ${places[0]}`);
}

describe('the API document under redocly lint', () => {
  const ctx = useTestShop('pglite');

  it('when the document is read, then its version is the package\'s and it names a server', async () => {
    const doc = await ctx.api.get<{ info: { version: string }; servers?: Array<{ url: string }> }>('/v1/openapi.json');
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(doc.body.info.version).toBe(pkg.version);
    expect(doc.body.servers?.length).toBeGreaterThan(0);
  });

  it('when /v1/openapi.json is linted with the recommended ruleset, then it has no error and no warning', { timeout: 60_000 }, async () => {
    const doc = await ctx.api.get('/v1/openapi.json');
    expect(doc.status).toBe(200);
    const file = join(tempDir(), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc.body, null, 2));
    // OPENAPI_OUT=<file> keeps a copy of the document that was linted, to read or diff
    if (process.env.OPENAPI_OUT) writeFileSync(process.env.OPENAPI_OUT, JSON.stringify(doc.body, null, 2));
    const problems = await lint(file);
    const listed = problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`);
    expect(listed).toEqual([]);
    // ours, which Redocly has no rule for: a shape used by several operations is one named component
    expect(inlineDuplicates((doc.body as { paths: unknown }).paths)).toEqual([]);
  });
});
