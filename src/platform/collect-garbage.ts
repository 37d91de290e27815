import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * One full garbage collection now, without starting Node with --expose-gc (the flag applies to contexts
 * created after it, so a fresh one hands out `gc`; Jest's leak detection does the same). For a known, large
 * piece of garbage that V8 would otherwise keep for a long while: the embedded database's initdb instance,
 * ~0.5 GB of WebAssembly memory that nothing references once a fresh data dir is initialised.
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  try {
    (runInNewContext('gc') as () => void)();
  } finally {
    // later contexts (none are made today) should not find a gc global
    setFlagsFromString('--no-expose-gc');
  }
}
