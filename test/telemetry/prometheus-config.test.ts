import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const at = (path: string) => join(ROOT, path);
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));
if (!PROMTOOL) console.warn('\n[floodgate tests] SKIPPING promtool checks: promtool is not installed (apt-get install prometheus).\n');

interface Dashboard { panels: Array<{ title: string; targets?: Array<{ expr: string }> }> }

const dashboardExprs = async () => {
  const dashboard = JSON.parse(await readFile(at('deploy/grafana/floodgate-dashboard.json'), 'utf8')) as Dashboard;
  return dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
};

/** Metric families an expression reads: `floodgate_x_bucket` → `floodgate_x`; recording rules (`floodgate:…`) excluded. */
const familiesIn = (text: string) =>
  [...text.matchAll(/\bfloodgate_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, ''));

describe('Prometheus and Grafana files', () => {
  it('when alerts and dashboard panels name a metric, then docs/metrics.md documents that family', async () => {
    const docs = await readFile(at('docs/metrics.md'), 'utf8');
    const alerts = await readFile(at('deploy/prometheus/alerts.yml'), 'utf8');
    const used = new Set([...familiesIn(alerts), ...(await dashboardExprs()).flatMap((e) => familiesIn(e.expr))]);
    expect([...used].filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
    expect(used.size).toBeGreaterThan(15);
  });

  describe.skipIf(!PROMTOOL)('with promtool', () => {
    it('when promtool checks the scrape config and rules and runs the rule unit tests, then all pass', async () => {
      // the scrape config reads the ops token from a git-ignored file beside it, which promtool wants to exist
      const dir = await mkdtemp(join(tmpdir(), 'floodgate-prometheus-'));
      try {
        for (const file of ['prometheus.yml', 'alerts.yml']) await writeFile(join(dir, file), await readFile(at(`deploy/prometheus/${file}`)));
        await writeFile(join(dir, 'floodgate-ops-token'), 'a-token-only-promtool-sees-000000', { mode: 0o600 });
        await run(PROMTOOL!, ['check', 'config', join(dir, 'prometheus.yml')]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      await run(PROMTOOL!, ['check', 'rules', at('deploy/prometheus/alerts.yml')]);
      const { stdout } = await run(PROMTOOL!, ['test', 'rules', at('deploy/prometheus/alerts.test.yml')]);
      expect(stdout).toContain('SUCCESS');
    });

    it('when every dashboard query is loaded as a rule, then promtool parses them all', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'floodgate-dashboard-'));
      try {
        const rules = (await dashboardExprs()).map(({ expr }, i) =>
          `      - record: dashboard:query_${i}\n        expr: ${JSON.stringify(expr.replace(/\$service|\$instance/g, '.*'))}`);
        await writeFile(join(dir, 'dashboard.rules.yml'), `groups:\n  - name: dashboard\n    rules:\n${rules.join('\n')}\n`);
        const { stdout } = await run(PROMTOOL!, ['check', 'rules', join(dir, 'dashboard.rules.yml')]);
        expect(stdout).toContain(`SUCCESS: ${rules.length} rules found`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
