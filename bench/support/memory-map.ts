import { readFileSync } from 'node:fs';

/** Where a process's resident memory is, MiB, from /proc/<pid>/smaps (Linux; the names are what each region holds here). */
export interface MemoryMap {
  rss: number;
  /** glibc malloc's main heap ([heap]): native allocations of the main thread */
  mallocMain: number;
  /** glibc malloc's per-thread arenas (64 MiB-aligned anonymous regions): mostly V8's background compilers' freed memory */
  mallocArenas: number;
  /** a WebAssembly memory: the committed part of a region followed by its multi-GiB guard reservation (PGlite) */
  wasmMemory: number;
  /** executable anonymous regions: JIT code */
  jitCode: number;
  /** the node binary and shared libraries */
  files: number;
  /** everything else anonymous: V8's JavaScript heap, mostly */
  other: number;
}

const ARENA = 64n * 2n ** 20n;

export function memoryMap(pid: number): MemoryMap {
  const regions: Array<{ start: bigint; end: bigint; perm: string; name: string; kib: number }> = [];
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) regions.push({ start: BigInt(`0x${head[1]}`), end: BigInt(`0x${head[2]}`), perm: head[3]!, name: head[4]!, kib: 0 });
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss && regions.length) regions.at(-1)!.kib = Number(rss[1]);
  }
  const mib = (pick: (r: (typeof regions)[number], i: number) => boolean) => regions.filter(pick).reduce((sum, r) => sum + r.kib, 0) / 1024;
  const anon = (r: (typeof regions)[number]) => r.name === '';
  const map = {
    rss: mib(() => true),
    mallocMain: mib((r) => r.name === '[heap]'),
    mallocArenas: mib((r) => anon(r) && r.perm === 'rw-p' && r.start % ARENA === 0n && r.end - r.start <= ARENA),
    wasmMemory: mib((r, i) => anon(r) && r.perm === 'rw-p' && regions[i + 1]?.start === r.end && regions[i + 1]!.perm === '---p' && regions[i + 1]!.end - regions[i + 1]!.start > 4n * 2n ** 30n),
    jitCode: mib((r) => anon(r) && r.perm === 'rwxp'),
    files: mib((r) => r.name.startsWith('/')),
  };
  return { ...map, other: map.rss - map.mallocMain - map.mallocArenas - map.wasmMemory - map.jitCode - map.files };
}

export const formatMemoryMap = (m: MemoryMap) =>
  `RSS ${m.rss.toFixed(0)} MiB = JS heap and other ${m.other.toFixed(0)} + malloc ${m.mallocMain.toFixed(0)} (main) + ${m.mallocArenas.toFixed(0)} (thread arenas) + WebAssembly memory ${m.wasmMemory.toFixed(0)} + JIT code ${m.jitCode.toFixed(0)} + binary and libraries ${m.files.toFixed(0)}`;
