// Floors of the spike path: the least any implementation of issue 8's and 11's ratio-goal endpoints can cost on
// this machine. Each floor (bench/support/serve-floor.ts) answers like the shop — same status, the same headers,
// a body of the same shape, to a request of the same shape — on node:http with no framework, and does only the
// part of the work the contract cannot drop: nothing authenticated, rate-limited, logged or counted.
//   poll      GET, the answer made from memory (the waiting-room poll; goal ≥ 0.7× the ceiling)
//   reserve   POST, body read and checked, one atomic script on Redis, 409 sold out (goal ≥ 0.4×)
//   add       POST, body read and checked, one script on a Redis cart, 200 with the cart (goal ≥ 0.1×)
// Each is measured in slices alternating with the bare Fastify hello world (A B A B A B). A floor below a goal
// means no implementation of that contract reaches the goal on this machine.
//   node --import tsx bench/floors.ts [--duration 12] [--connections 50] [--rounds 3] [--only poll,reserve,add] [--warmup 1] [--save]
// REDIS_URL (default redis://127.0.0.1:6379) is shared: the floors' keys live under one random prefix, deleted at the end.
import { benchArgs, benchTable, loadNote, machineNote, saveResult } from './support/bench-report.js';
import { startBenchTarget } from './support/bench-target.js';
import { measurePaired, type BenchRow, type Endpoint } from './support/measure.js';

const args = benchArgs({ duration: 12, connections: 50, rounds: 3 });
const log = (m: string) => process.stderr.write(`${m}\n`);
const loadAtStart = loadNote();

// the shape of the shop's requests: a guest's access token is ~520 characters, an admission token ~330
const bearer = `Bearer eyJhbGciOiJFUzI1NiIsImtpZCI6ImJlbmNoIn0.${'x'.repeat(420)}.${'s'.repeat(86)}`;
const admission = `eyJhbGciOiJIUzI1NiJ9.${'a'.repeat(260)}.${'h'.repeat(43)}`;
let n = 0;
const FLOORS: Array<Endpoint & { goal: number }> = [
  { name: 'poll floor (GET, answer from memory)', path: '/poll/1.M7R8nHPkmYK_zpd5i2SGNw', headers: { authorization: bearer }, goal: 0.7 },
  {
    name: 'reserve floor (POST, one Redis script, 409)', method: 'POST', path: '/reserve', body: { quantity: 1 }, goal: 0.4,
    setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: bearer, 'admission-token': admission, 'idempotency-key': `floor-${n++}` } }),
  },
  { name: 'add floor (POST, one Redis script, 200)', method: 'POST', path: '/add', headers: { authorization: bearer }, body: { variantId: '01a22f9c-7fdf-79a8-a6c3-eed1522e7df7', quantity: 1 }, goal: 0.1 },
];
const chosen = FLOORS.filter((f) => !args.only || args.only.some((w) => f.name.includes(w)));

log(`bench:floors — ${machineNote()}; ${args.duration} s per floor in ${args.rounds} slices, ${args.connections} connections`);
const hello = await startBenchTarget('hello');
const floor = await startBenchTarget('floor');
const rows: BenchRow[] = [];
let ceiling: BenchRow | undefined;
try {
  for (const f of chosen) {
    log(`measuring ${f.name} (A B × ${args.rounds} with the ceiling)`);
    const paired = await measurePaired(hello, floor, { ...f, warmupSec: args.warmup }, { duration: args.duration, connections: args.connections, rounds: args.rounds });
    if (paired.row.non2xx > 0 && f.name.startsWith('poll')) throw new Error(`${f.name}: ${paired.row.non2xx} answers were not 2xx`);
    rows.push(paired.row);
    ceiling ??= paired.ceiling;
  }
} finally {
  await floor.stop();
  await hello.stop();
}
if (!ceiling) throw new Error('nothing measured: --only matched no floor');

const verdicts = Object.fromEntries(
  rows.map((r, i) => {
    const ratio = r.rps / (r.pairedCeiling ?? ceiling).rps;
    const goal = chosen[i]!.goal;
    const soldOut = r.endpoint.startsWith('reserve') ? '; its 409s are by design (counted as non-2xx)' : '';
    return [r.endpoint, `goal ≥ ${goal}×: the floor is ${ratio.toFixed(3)}×, ${ratio >= goal ? 'above it' : 'BELOW it (no implementation reaches the goal here)'}${soldOut}`];
  }),
);
console.log(`\nbench:floors — ${machineNote()}`);
console.log(`${loadAtStart} at the start, ${loadNote()} at the end\n`);
console.log(benchTable(ceiling, rows, verdicts));
if (args.save) log(`saved ${await saveResult('floors', { machine: machineNote(), loadAtStart, ceiling, rows })}`);
