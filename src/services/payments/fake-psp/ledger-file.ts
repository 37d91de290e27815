import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One decision of the fake PSP, as written to its ledger file (one JSON object per line). */
export type LedgerRecord =
  | {
      t: 'charge';
      key: string;
      fingerprint: string;
      charge: { id: string; amount: number; currency: string; status: 'captured' | 'declined'; reason?: string; createdAt: string };
    }
  | { t: 'refund'; key: string; chargeId: string; refundId: string };

export interface LedgerFile {
  /** what earlier runs decided, oldest first */
  records: LedgerRecord[];
  append(record: LedgerRecord): void;
}

/**
 * The fake PSP's memory on disk, so that a PSP killed (-9) and restarted still answers a retried
 * key with the charge it made instead of capturing again. Appends are synchronous: the decision is
 * in the kernel's page cache before the HTTP answer leaves, which survives the process dying (not
 * the machine losing power — a test double does not need fsync). A torn last line (killed mid-write)
 * is skipped on load: its answer was never sent.
 */
export function openLedgerFile(path: string): LedgerFile {
  mkdirSync(dirname(path), { recursive: true });
  const records: LedgerRecord[] = [];
  if (existsSync(path)) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as LedgerRecord);
      } catch {
        // the torn tail of a write cut short by a kill
      }
    }
  }
  return {
    records,
    append(record) {
      appendFileSync(path, `${JSON.stringify(record)}\n`);
    },
  };
}
