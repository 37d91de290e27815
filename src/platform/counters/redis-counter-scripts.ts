import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';

/**
 * The counter store's Lua scripts (lua/*.lua, each prefixed with lua/common.lua), registered on a connection
 * with ioredis `defineCommand`: ioredis sends EVALSHA and falls back to EVAL once when Redis answers NOSCRIPT
 * (after a restart or SCRIPT FLUSH), so a script's text crosses the network only then.
 */
export const COUNTER_SCRIPTS = ['load', 'drop', 'snapshot', 'enqueue', 'admit', 'take', 'release', 'settle', 'unsell', 'expired'] as const;
export type CounterScript = (typeof COUNTER_SCRIPTS)[number];

/** one scope's keys, in the order every script reads them from KEYS (see lua/common.lua) */
export const SCOPE_KEY_SUFFIXES = ['meta', 'holds', 'leases', 'sold', 'members', 'idem', 'queue', 'positions', 'batches', 'batch-info', 'resolved'] as const;

// read beside this module: src/ under tsx and vitest, dist/ after `npm run build` (copy-build-assets copies .lua)
const source = (name: string) => readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');

export type RunCounterScript = (script: CounterScript, keys: readonly string[], args: ReadonlyArray<string | number>) => Promise<unknown>;

const commandName = (script: CounterScript) => `floodgateCounters_${script}`;

/** defines every counter script on `redis` (idempotent) and answers a runner for them */
export function defineCounterScripts(redis: Redis | Cluster): RunCounterScript {
  const common = source('common');
  for (const script of COUNTER_SCRIPTS) {
    redis.defineCommand(commandName(script), { numberOfKeys: SCOPE_KEY_SUFFIXES.length, lua: `${common}\n${source(script)}` });
  }
  // defineCommand adds methods ioredis cannot type
  const commands = redis as unknown as Record<string, (...args: Array<string | number>) => Promise<unknown>>;
  return (script, keys, args) => commands[commandName(script)]!(...keys, ...args);
}
