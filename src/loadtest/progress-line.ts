import type { WindowSample } from './run-recorder.js';

export interface ProgressState {
  elapsedSec: number;
  totalSec: number;
  phase: string;
  last: WindowSample;
  errorsSoFar: number;
  droppedSoFar: number;
}

export function formatProgress(s: ProgressState): string {
  const secs = `${Math.floor(s.elapsedSec)}s/${Math.round(s.totalSec)}s`;
  return [
    `[${secs.padStart(9)} ${s.phase.padEnd(8)}]`,
    `target ${s.last.targetRate.toFixed(0).padStart(5)}/s`,
    `achieved ${s.last.rps.toFixed(0).padStart(5)} req/s`,
    `p99 ${s.last.p99.toFixed(1).padStart(7)} ms`,
    `errors ${s.errorsSoFar}`,
    `in-flight ${s.last.inFlight}`,
    ...(s.droppedSoFar > 0 ? [`dropped ${s.droppedSoFar}`] : []),
  ].join('  ');
}

/**
 * One line rewritten in place on a terminal; on a pipe or a CI log, a fresh line every few seconds
 * so the log stays readable.
 */
export function createProgressWriter(stream: NodeJS.WritableStream & { isTTY?: boolean }) {
  let lastPrinted = -Infinity;
  return {
    update(state: ProgressState) {
      if (stream.isTTY) stream.write(`\r\x1b[2K${formatProgress(state)}`);
      else if (state.elapsedSec - lastPrinted >= 5) {
        lastPrinted = state.elapsedSec;
        stream.write(`${formatProgress(state)}\n`);
      }
    },
    message(text: string) {
      stream.write(stream.isTTY ? `\r\x1b[2K${text}\n` : `${text}\n`);
    },
    end() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
