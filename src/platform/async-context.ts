import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The one AsyncLocalStorage of the process: what a unit of work (an HTTP request) carries down to the code it
 * calls — its request id and trace (telemetry/call-context.ts), its deadline (resilience/deadline.ts) — each in a
 * slot of its own. One storage, not one per concern: on Node 20 every AsyncLocalStorage writes its own property
 * on every async resource and promise the process creates, so each extra instance is paid by every request.
 */
const storage = new AsyncLocalStorage<Readonly<Record<symbol, unknown>>>();

/** Runs `fn` with `slot` set to `value` (undefined: cleared) and every other slot as it is here. */
export function runWithSlot<T>(slot: symbol, value: unknown, fn: () => T): T {
  const current = storage.getStore();
  return storage.run(current ? { ...current, [slot]: value } : { [slot]: value }, fn);
}

/** What `slot` holds in the unit this code runs in, if anything. */
export function slotValue<T>(slot: symbol): T | undefined {
  return storage.getStore()?.[slot] as T | undefined;
}
