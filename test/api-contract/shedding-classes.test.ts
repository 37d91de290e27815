// docs/limits.md names, per shedding class, the routes in it (`METHOD /path`): each named route must be served with
// that class, or an operator reading the doc plans for the wrong order of refusals under overload.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CRITICALITIES } from '../../src/platform/overload/criticality.js';
import { useTestShop } from '../support/shop.js';

const ROUTE = /`(GET|POST|PUT|PATCH|DELETE) (\/[^`\s]*)`/g;

describe('docs/limits.md: the routes of each shedding class', () => {
  const ctx = useTestShop('pglite');

  it('when a route is named in a class row, then the process serves it with that class', async () => {
    const doc = await readFile(new URL('../../docs/limits.md', import.meta.url), 'utf8');
    const named: Array<{ route: string; documented: string }> = [];
    for (const line of doc.split('\n')) {
      const row = /^\| `(critical|high|normal|low)` \| (.*?) \|/.exec(line);
      if (!row) continue;
      for (const m of row[2]!.matchAll(ROUTE)) named.push({ route: `${m[1]} ${m[2]!.replace(/\{([^}]+)\}/g, ':$1')}`, documented: row[1]! });
    }
    expect(new Set(named.map((n) => n.documented))).toEqual(new Set(CRITICALITIES));
    expect(named.length).toBeGreaterThan(4);
    const served = new Map(ctx.shop.routes.map((r) => [`${r.method} ${r.url}`, r.criticality]));
    const wrong = named.filter((n) => served.get(n.route) !== n.documented).map((n) => `${n.route}: documented ${n.documented}, served ${served.get(n.route) ?? 'not at all'}`);
    expect(wrong).toEqual([]);
  });
});
