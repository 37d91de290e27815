import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

// Linux's clock tick (100 almost everywhere), read once: /proc/<pid>/stat counts CPU time in ticks
const TICK_MS = 1000 / (Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100);

/**
 * CPU time (user + system, every thread) a process used so far, in ms. On a shared, loaded machine it moves far
 * less than wall time, which mostly measures how long the process waited for a core.
 */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime (fields 14 and 15 of stat)
}

/**
 * CPU time (ms) used so far by every process whose command name is `name` (`postgres`, `redis-server`): the data
 * layer's side of a request on a box where it shares the cores with the shop. Processes that ended since an earlier
 * reading drop out of the sum, so read it around a phase whose processes stay (pooled backends, one Redis).
 */
export function cpuMsOfProcesses(name: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) total += cpuMs(Number(entry));
    } catch {
      // it exited while we looked
    }
  }
  return total;
}

const statusKiB = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

/** resident memory now, MiB */
export const rssMiB = (pid: number): number => statusKiB(pid, 'VmRSS') / 1024;

/** the highest resident memory so far (VmHWM, since the start or the last resetPeakRss), MiB */
export const peakRssMiB = (pid: number): number => statusKiB(pid, 'VmHWM') / 1024;

export interface PeakRssWindow {
  /** RSS when the window opened (the shop ready, after its seed), MiB */
  readonly atStartMiB: number;
  /** the highest RSS since the window opened, MiB (since the process started when the kernel refused the reset) */
  peakMiB(): number;
  /** one line for a report: both figures and what the peak covers */
  describe(what: string): string;
}

/**
 * Opens a window on a process's resident memory: VmHWM starts again from the current RSS (Linux: `5` to
 * /proc/<pid>/clear_refs), so a peak read later is the load's and not the start's: a first start's initdb and
 * seed pass 700 MiB before the shop settles near 300.
 */
export function peakRssFromHere(pid: number): PeakRssWindow {
  const atStartMiB = Math.round(rssMiB(pid));
  let reset = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    reset = false;
  }
  const peakMiB = () => Math.round(peakRssMiB(pid));
  return {
    atStartMiB,
    peakMiB,
    describe: (what) => `shop RSS at ready ${atStartMiB} MiB; peak under ${what} ${peakMiB()} MiB (VmHWM ${reset ? 'since ready' : 'since start: the kernel refused the reset'})`,
  };
}
