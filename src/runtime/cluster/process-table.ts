import type { ClusterEntry } from './start-cluster.js';

/** The table the cluster prints once everything is ready: what runs, where, and where its log is. */
export function formatProcessTable(entries: readonly ClusterEntry[]): string {
  const rows = entries.map((e) => [e.name, String(e.pid), String(e.port), e.upstream ?? (e.kind === 'nginx' ? 'edge' : e.kind), e.url, e.log]);
  const header = ['process', 'pid', 'port', 'upstream', 'url', 'log'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
