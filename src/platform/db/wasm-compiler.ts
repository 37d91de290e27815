import { setFlagsFromString } from 'node:v8';

export type WasmCompiler = 'baseline' | 'optimizing';

/**
 * Chooses how V8 compiles WebAssembly from here on (process-wide: PGlite is the process's only WebAssembly).
 * `baseline` is Liftoff alone. V8's default also re-compiles hot functions with its optimizing tier on
 * background threads, and the memory those threads free stays in glibc's per-thread arenas: ~100 MiB of the
 * all-in-one's resident memory, never returned. The baseline code measured no slower on PGlite's queries here
 * (BENCHMARKS.md, 2026-11-30 11:05). It must be set before the module is compiled: PGlite compiles it when an
 * instance starts. Node keeps V8's flags writable after start for exactly this API.
 */
export function useWasmCompiler(compiler: WasmCompiler): void {
  setFlagsFromString(compiler === 'baseline' ? '--liftoff-only' : '--no-liftoff-only');
}
