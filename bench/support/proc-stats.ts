import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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

const statusKiB = (pid: number, field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

/** resident memory now, MiB */
export const rssMiB = (pid: number): number => statusKiB(pid, 'VmRSS') / 1024;

/** the highest resident memory so far (VmHWM), MiB */
export const peakRssMiB = (pid: number): number => statusKiB(pid, 'VmHWM') / 1024;
