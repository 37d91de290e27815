/** Lines past a key's budget in one window, reported once the window is over. */
export interface FoldedLines<S> {
  key: string;
  /** what the key's lines were about, as given with its first line */
  subject: S;
  /** lines not written in the window */
  folded: number;
  /** when the window began (ms, the folder's clock) */
  sinceMs: number;
}

export interface LineFolder<S> {
  /** true: write this line; false: it is one of many alike in this window, counted instead */
  admit(key: string, subject: S): boolean;
  /** the windows that are over and folded lines, each reported once and forgotten; `all`: the open ones too (at close) */
  takeFolded(all?: boolean): Array<FoldedLines<S>>;
}

export interface LineFolderOptions {
  /** lines written per key and window; the rest are counted */
  perWindow: number;
  windowMs?: number;
  now?: () => number;
  /** keys tracked at most (route templates × statuses stay far below); past it a new key's lines are written */
  maxKeys?: number;
}

interface Window<S> {
  subject: S;
  sinceMs: number;
  written: number;
  folded: number;
}

/**
 * Folds repeated log lines: per key (a request line's level, method, route template and status) the first
 * `perWindow` lines of each window are written and the rest only counted, then reported in one line. A sold-out
 * flash sale answers thousands of identical 409s a second: at `info` each was a ~200-byte line, 1.6 MB/s of the
 * same line per process for the log pipeline to carry, while the first few and a count say as much. Windows are
 * fixed, begun by their key's first line.
 */
export function createLineFolder<S>({ perWindow, windowMs = 1_000, now = Date.now, maxKeys = 10_000 }: LineFolderOptions): LineFolder<S> {
  const windows = new Map<string, Window<S>>();
  const over: Array<FoldedLines<S>> = [];
  const close = (key: string, w: Window<S>) => {
    if (w.folded > 0) over.push({ key, subject: w.subject, folded: w.folded, sinceMs: w.sinceMs });
  };
  return {
    admit(key, subject) {
      const at = now();
      let w = windows.get(key);
      if (w && at - w.sinceMs >= windowMs) {
        close(key, w);
        w.sinceMs = at;
        w.written = 0;
        w.folded = 0;
      }
      if (!w) {
        if (windows.size >= maxKeys) return true;
        windows.set(key, (w = { subject, sinceMs: at, written: 0, folded: 0 }));
      }
      if (w.written < perWindow) {
        w.written++;
        return true;
      }
      w.folded++;
      return false;
    },
    takeFolded(all = false) {
      const at = now();
      for (const [key, w] of windows) {
        if (!all && at - w.sinceMs < windowMs) continue;
        close(key, w);
        // a quiet key is forgotten: its next line opens a fresh window
        windows.delete(key);
      }
      return over.splice(0);
    },
  };
}
