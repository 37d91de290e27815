import type { Redis } from 'ioredis';
import { DEGRADATION_MODES, isDegradationSwitch, type DegradationMode, type DegradationRegistry, type DegradationSwitch } from './degradation.js';

/** Where admins' switch settings live, so every process of a deployment follows them. */
export interface DegradationSettings {
  /** records an admin's setting and applies it in this process at once */
  set(name: DegradationSwitch, mode: DegradationMode): Promise<void>;
  close(): void;
}

/** all-in-one (no REDIS_URL): one process, the registry is the setting */
export const localDegradationSettings = (registry: DegradationRegistry): DegradationSettings => ({
  set: async (name, mode) => registry.setMode(name, mode),
  close: () => {},
});

const isMode = (value: string): value is DegradationMode => (DEGRADATION_MODES as readonly string[]).includes(value);

/**
 * Several processes (REDIS_URL set): the settings are one Redis hash (`<key>`: switch → mode), written by the
 * process that took the admin's request and read by every process each `pollMs` (1 s): a setting reaches
 * them all within a second, and a process started later reads it at start. A poll that fails (Redis away)
 * keeps the last settings: a degraded shop stays as the admin left it. A switch absent from the hash is `auto`.
 */
export function redisDegradationSettings(registry: DegradationRegistry, redis: Redis, { key = 'floodgate:degradation', pollMs = 1_000 } = {}): DegradationSettings & { refresh(): Promise<void> } {
  const refresh = async () => {
    const stored = await redis.hgetall(key);
    for (const view of registry.list()) {
      const mode = stored[view.name];
      registry.setMode(view.name, mode && isMode(mode) ? mode : 'auto');
    }
    for (const [name, mode] of Object.entries(stored)) if (!isDegradationSwitch(name) || !isMode(mode)) void redis.hdel(key, name).catch(() => {});
  };
  const timer = setInterval(() => void refresh().catch(() => {}), pollMs);
  timer.unref();
  void refresh().catch(() => {});
  return {
    refresh,
    async set(name, mode) {
      if (mode === 'auto') await redis.hdel(key, name);
      else await redis.hset(key, name, mode);
      registry.setMode(name, mode);
    },
    close: () => clearInterval(timer),
  };
}
