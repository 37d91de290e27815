// Where a shop's CPU went: a summary of a V8 CPU profile (`BENCH_CPU_PROF_DIR=<dir>` makes every bench:* shop
// write one when it stops), over a time window of it so that only a measured phase counts.
//   node --import tsx bench/profile-summary.ts <file.cpuprofile> [--timeline] [--from S] [--to S] [--last S] [--top 40]
// --timeline prints each second's busy share, to find a phase (the slices of a paired measurement show as busy
// seconds between idle ones); --from/--to (seconds from the profile's start) or --last (the final seconds) pick it.
// Prints self time by function and by module, and inclusive time by function, as shares of the window's busy
// samples (idle, program and GC left out, so shares of idle can exceed 100). Inclusive time counts a function
// once per sample however deep it recurs; Fastify's hooks continue synchronously into the next hook, so a hook's
// inclusive share holds the hooks after it.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exitWithHelpWhenAsked } from './support/bench-report.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

exitWithHelpWhenAsked();
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { timeline: { type: 'boolean', default: false }, from: { type: 'string' }, to: { type: 'string' }, last: { type: 'string' }, top: { type: 'string', default: '40' } },
});
const file = positionals[0];
if (!file) {
  process.stderr.write('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [--timeline] [--from S] [--to S] [--last S] [--top N]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const NOT_BUSY = new Set(['(idle)', '(program)', '(garbage collector)']);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);

// each sample's time, in µs like the profile's own
const times: number[] = [];
let t = profile.startTime;
for (const delta of profile.timeDeltas) times.push((t += delta));

if (values.timeline) {
  const seconds = new Map<number, { all: number; busy: number }>();
  profile.samples.forEach((id, i) => {
    const second = Math.floor((times[i]! - profile.startTime) / 1e6);
    const tally = seconds.get(second) ?? { all: 0, busy: 0 };
    tally.all += 1;
    if (byId.get(id)?.callFrame.functionName !== '(idle)') tally.busy += 1;
    seconds.set(second, tally);
  });
  for (const [second, { all, busy }] of seconds) console.log(`${String(second).padStart(5)} s  ${String(Math.round((100 * busy) / all)).padStart(3)} % busy  ${'#'.repeat(Math.round((40 * busy) / all))}`);
  process.exit(0);
}

const from = values.last ? profile.endTime - Number(values.last) * 1e6 : values.from ? profile.startTime + Number(values.from) * 1e6 : -Infinity;
const to = values.to ? profile.startTime + Number(values.to) * 1e6 : Infinity;
const samplesOf = new Map<number, number>();
profile.samples.forEach((id, i) => {
  if (times[i]! >= from && times[i]! <= to) samplesOf.set(id, (samplesOf.get(id) ?? 0) + 1);
});

const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/.*node_modules\//, '').replace(/^file:\/\/.*?\/(dist|src)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
const moduleOf = (n: ProfileNode) => {
  const url = n.callFrame.url;
  if (url.includes('node_modules/')) return /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)![1]!;
  if (url === '') return n.callFrame.functionName || '(native)';
  return url.startsWith('node:') ? url : url.replace(/^file:\/\/.*?\/(dist|src)\//, '$1/');
};
const selfBy = new Map<string, number>();
const moduleBy = new Map<string, number>();
const inclusiveBy = new Map<string, number>();
let busy = 0;
for (const [id, count] of samplesOf) {
  const node = byId.get(id)!;
  if (NOT_BUSY.has(node.callFrame.functionName)) continue;
  busy += count;
  selfBy.set(label(node), (selfBy.get(label(node)) ?? 0) + count);
  moduleBy.set(moduleOf(node), (moduleBy.get(moduleOf(node)) ?? 0) + count);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const name = label(byId.get(at)!);
    if (seen.has(name)) continue;
    seen.add(name);
    inclusiveBy.set(name, (inclusiveBy.get(name) ?? 0) + count);
  }
}
inclusiveBy.delete(label(profile.nodes[0]!));

const top = Number(values.top);
const share = (count: number) => `${((100 * count) / Math.max(1, busy)).toFixed(1).padStart(5)} %`;
const print = (title: string, tallies: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [name, count] of [...tallies].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${share(count)}  ${name}`);
};
console.log(`${file}: ${busy} busy samples in the window (of ${profile.samples.length}); shares are of the busy ones`);
print('self time, by function', selfBy, top);
print('self time, by module', moduleBy, 25);
print('inclusive time, by function', inclusiveBy, top);
