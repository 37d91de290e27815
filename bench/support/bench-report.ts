import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchRow } from './measure.js';

export interface BenchArgs {
  duration: number;
  connections: number;
  /** A B A B …: how many ceiling/endpoint slice pairs share an endpoint's duration (benchmarks that pair) */
  rounds: number;
  /** `--only a,b`: measure only the endpoints whose name contains one of these words (benchmarks that offer it) */
  only: string[] | undefined;
  products: number | undefined;
  /** `--embedded`: the shop all-in-one on PGlite instead of PostgreSQL + Redis (benchmarks that offer both) */
  embedded: boolean;
  /**
   * `--warmup <s>`: unrecorded load before each measured endpoint (default 1). The shop has far more code for V8 to
   * optimise than the hello world: one second leaves its first measured slice still compiling (BENCHMARKS.md
   * 2026-12-02 05:30); a longer warm-up measures the warm capacity, the default keeps figures comparable with earlier ones
   */
  warmup: number;
  save: boolean;
}

/**
 * `--help` or `-h` among the arguments: prints the running benchmark's opening comment (what it measures, its
 * command line and options, the environment it reads) and exits 0. Every benchmark's file opens with that comment,
 * so its help cannot drift from its documentation. Called before the benchmark parses its own options.
 */
export function exitWithHelpWhenAsked(): void {
  if (!process.argv.slice(2).some((a) => a === '--help' || a === '-h')) return;
  const script = process.argv[1] ?? '';
  const lines: string[] = [];
  for (const line of readFileSync(script, 'utf8').split('\n')) {
    const text = /^\s*(?:\/\/|\/\*\*|\*\/|\*)\s?(.*)$/.exec(line);
    if (!text) break;
    if (text[1]) lines.push(text[1]);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(0);
}

export function benchArgs(defaults: { duration: number; connections: number; rounds?: number }): BenchArgs {
  exitWithHelpWhenAsked();
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      only: { type: 'string' },
      products: { type: 'string' },
      embedded: { type: 'boolean', default: false },
      warmup: { type: 'string' },
      save: { type: 'boolean', default: false },
    },
  });
  const num = (v: string | undefined, fallback: number, name: string) => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  return {
    duration: num(values.duration, defaults.duration, 'duration'),
    connections: num(values.connections, defaults.connections, 'connections'),
    rounds: Math.round(num(values.rounds, defaults.rounds ?? 3, 'rounds')),
    only: values.only?.split(',').map((w) => w.trim()).filter(Boolean),
    products: values.products === undefined ? undefined : num(values.products, 0, 'products'),
    embedded: values.embedded ?? false,
    warmup: num(values.warmup, DEFAULT_WARMUP_SEC, 'warmup'),
    save: values.save ?? false,
  };
}

/** seconds of unrecorded load before a measured endpoint, unless `--warmup` says otherwise */
export const DEFAULT_WARMUP_SEC = 1;

export function machineNote(): string {
  const c = cpus();
  return `${c.length} cores (${c[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

/** other work on the machine skews absolute figures; the ratio to the same run's ceiling less so */
export function loadNote(): string {
  return `load average ${loadavg().map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min)`;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** the table a benchmark prints: every endpoint with its ratio to the same run's ceiling */
export function benchTable(ceiling: BenchRow, rows: readonly BenchRow[], notes: Record<string, string> = {}): string {
  const all = [ceiling, ...rows];
  // only when the servers' pids were known (MeasureOptions.serverPid): the figure to compare on a busy machine
  const withCpu = all.some((r) => r.cpuUsPerRequest !== undefined);
  const cpu = (r: BenchRow) => (r.cpuUsPerRequest === undefined ? '—' : fmt(r.cpuUsPerRequest));
  // a row measured in slices beside the ceiling is compared with those slices, not with the run's overall ceiling
  const base = (r: BenchRow) => r.pairedCeiling ?? ceiling;
  const cpuRatio = (r: BenchRow) => {
    const c = base(r).cpuUsPerRequest;
    return r.cpuUsPerRequest === undefined || !c ? '—' : `${(r.cpuUsPerRequest / c).toFixed(1)}×`;
  };
  const paired = rows.some((r) => r.pairedCeiling);
  const body = all.map((r) => [
    r.endpoint,
    fmt(r.rps),
    fmt(r.p50, 0),
    fmt(r.p99, 0),
    String(r.non2xx + r.errors),
    r === ceiling ? '1.000 (ceiling)' : (r.rps / base(r).rps).toFixed(3),
    ...(paired ? [r.pairedCeiling ? `${fmt(r.pairedCeiling.rps)} / ${fmt(r.pairedCeiling.p99, 0)}` : '—', r.pairedCeiling && r.pairedCeiling.p99 > 0 ? `${(r.p99 / r.pairedCeiling.p99).toFixed(1)}×` : '—'] : []),
    ...(withCpu ? [cpu(r), cpuRatio(r)] : []),
    notes[r.endpoint] ?? '',
  ]);
  const header = ['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx+err', 'ratio to ceiling', ...(paired ? ['its ceiling slices req/s / p99 ms', 'p99 vs ceiling'] : []), ...(withCpu ? ['server CPU µs/req', 'CPU vs ceiling'] : []), 'note'];
  const numeric = (i: number) => i >= 1 && i < header.length - 1;
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  return [line(header), `|${widths.map((w, i) => (numeric(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`, ...body.map(line)].join('\n');
}

export async function saveResult(name: string, data: object): Promise<string> {
  const dir = join(import.meta.dirname, '..', 'results');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
