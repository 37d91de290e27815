import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { percentile, placedToPaid, type FaultAudit } from './fault-audit.js';
import type { LoadResult } from './checkout-load.js';

const REPORTS = fileURLToPath(new URL('../../reports/faults/', import.meta.url));

export type Figures = Record<string, string | number | undefined>;

/** The figures every fault run yields; a test adds its own (recovery time, outage window…). */
export function standardFigures(load: LoadResult, audit: FaultAudit): Figures {
  const paid = placedToPaid(audit.settled);
  const s = audit.statuses;
  return {
    checkouts: load.acknowledged.length + load.rejected.length + load.gaveUp.length,
    acknowledged: load.acknowledged.length,
    '503 answers': s['503'] ?? 0,
    '500 answers': s['500'] ?? 0,
    'network errors': s['network error'] ?? 0,
    'client timeouts': s['client timeout'] ?? 0,
    'max checkout ms': Math.max(0, ...load.attempts.filter((a) => a.status > 0).map((a) => a.answeredAt - a.sentAt)),
    'placed→paid p50 ms': percentile(paid, 50),
    'placed→paid p99 ms': percentile(paid, 99),
    'all final after load ms': audit.settledAfterMs,
    lost: audit.lost.length,
  };
}

/**
 * Prints one fault run's figures as a table and keeps them in reports/faults/<name>.json, from which
 * docs/faults.md is filled (`npm run test:faults`).
 */
export async function reportFigures(name: string, figures: Figures): Promise<void> {
  console.log(`\nfault figures: ${name}`);
  console.table(figures);
  await mkdir(REPORTS, { recursive: true });
  const file = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.json`;
  await writeFile(`${REPORTS}${file}`, `${JSON.stringify({ name, measuredAt: new Date().toISOString(), ...figures }, null, 2)}\n`);
}
