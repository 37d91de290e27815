import { CONFIG_VARIABLES, UNUSED_BY_DOCS, loadConfig, requireServeSettings, requireWorkerSettings, type Config, type ServeComponent } from '../../src/config.js';
import { loadKeyEncryptionKeys } from '../../src/platform/crypto/key-encryption-key.js';
import { SERVICE_NAMES } from '../../src/runtime/service-names.js';
import { WORKER_GROUP_NAMES, type WorkerGroup } from '../../src/runtime/worker-groups.js';
import type { K8sObject } from './kustomize-render.js';

/**
 * The environment a Floodgate container gets from its manifest, judged by the code that reads it: the config
 * schema (src/config.ts) and each process's own start checks (requireServeSettings, requireWorkerSettings,
 * the key-encryption key). So a variable a process needs is required here because the process requires it,
 * not because a list in this file says so. Secret values are not in the repository: each secretKeyRef gets a
 * placeholder that the schema accepts for that variable (found by asking the schema), so only a missing
 * reference fails.
 */

export type FloodgateProcess =
  | { kind: 'serve'; service: ServeComponent }
  | { kind: 'worker'; groups: WorkerGroup[] }
  | { kind: 'fake-psp' }
  | { kind: 'migrate' }
  | { kind: 'seed' };

export function processOf(args: readonly string[]): FloodgateProcess | undefined {
  const [command, ...rest] = args;
  if (command === 'serve' && rest[0] === 'fake-psp') return { kind: 'fake-psp' };
  if (command === 'serve' && ([...SERVICE_NAMES, 'docs'] as string[]).includes(rest[0] ?? '')) return { kind: 'serve', service: rest[0] as ServeComponent };
  if (command === 'worker' && rest.length > 0 && rest.every((g) => g === 'all' || (WORKER_GROUP_NAMES as string[]).includes(g))) {
    return { kind: 'worker', groups: rest.includes('all') ? [...WORKER_GROUP_NAMES] : (rest as WorkerGroup[]) };
  }
  if (command === 'migrate' && rest.length === 0) return { kind: 'migrate' };
  if (command === 'seed') return { kind: 'seed' };
  return undefined;
}

/** values the schema may accept for a secret, tried in order (a 32-byte base64 first: keys and tokens take it) */
const PLACEHOLDERS = [
  Buffer.alloc(32, 7).toString('base64'),
  'postgres://floodgate:placeholder@postgres.placeholder:5432/floodgate',
  'redis://:placeholder@redis.placeholder:6379',
  'amqp://floodgate:placeholder@rabbitmq.placeholder:5672',
  'https://placeholder.example.com',
  'admin@example.com',
];

const names = (message: string, variable: string) => new RegExp(`(^|[\\s:;])${variable}([\\s:]|$)`).test(message);

/** a placeholder for each secret variable that the schema does not refuse by that variable's name */
function placeholdersFor(secrets: string[], plain: Record<string, string>): Record<string, string> {
  const chosen: Record<string, string> = {};
  // twice: a check that needs two secrets together (replicas need DATABASE_URL) settles on the second pass
  for (let pass = 0; pass < 2; pass++) {
    for (const variable of secrets) {
      const accepted = PLACEHOLDERS.find((value) => {
        try {
          loadConfig({ ...plain, ...chosen, [variable]: value });
          return true;
        } catch (err) {
          return !names((err as Error).message, variable);
        }
      });
      chosen[variable] = accepted ?? PLACEHOLDERS[0]!;
    }
  }
  return chosen;
}

export interface ContainerEnv {
  env: Record<string, string>;
  /** variables whose value comes from a Secret (a placeholder stands in) */
  secret: Set<string>;
  problems: string[];
}

/** a container's environment as the kubelet would build it from envFrom and env */
export function containerEnv(container: Record<string, unknown>, objects: K8sObject[]): ContainerEnv {
  const problems: string[] = [];
  const plain: Record<string, string> = {};
  const secrets: string[] = [];
  const configMap = (name: string) => objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name) as (K8sObject & { data?: Record<string, string> }) | undefined;
  for (const source of (container.envFrom as Array<Record<string, { name: string; optional?: boolean }>> | undefined) ?? []) {
    if (source.configMapRef) {
      const cm = configMap(source.configMapRef.name);
      if (!cm) problems.push(`envFrom: ConfigMap ${source.configMapRef.name} is not in the overlay`);
      Object.assign(plain, cm?.data ?? {});
    }
    if (source.secretRef) problems.push(`envFrom: secretRef ${source.secretRef.name}: name each secret variable with secretKeyRef, so the manifests say which ones a process gets`);
  }
  for (const e of (container.env as Array<{ name: string; value?: string; valueFrom?: Record<string, { name: string; key: string }> }> | undefined) ?? []) {
    if (e.value !== undefined) plain[e.name] = String(e.value);
    else if (e.valueFrom?.secretKeyRef) secrets.push(e.name);
    else if (e.valueFrom?.configMapKeyRef) {
      const value = configMap(e.valueFrom.configMapKeyRef.name)?.data?.[e.valueFrom.configMapKeyRef.key];
      if (value === undefined) problems.push(`env ${e.name}: ConfigMap ${e.valueFrom.configMapKeyRef.name} has no key ${e.valueFrom.configMapKeyRef.key}`);
      else plain[e.name] = value;
    } else plain[e.name] = 'from-the-downward-api';
  }
  for (const name of secrets) delete plain[name];
  return { env: { ...plain, ...placeholdersFor(secrets, plain) }, secret: new Set(secrets), problems };
}

const ALSO_READ = /^(OTEL_[A-Z_]+|NODE_OPTIONS|FLOODGATE_BUILD_DIR)$/;

/** every problem the process would stop on, or a setting that makes it misbehave in this topology */
export async function envProblems(process: FloodgateProcess, { env, secret, problems }: ContainerEnv): Promise<string[]> {
  const out = [...problems];
  for (const name of Object.keys(env)) if (!CONFIG_VARIABLES.includes(name) && !ALSO_READ.test(name)) out.push(`${name} is read by no process (not in src/config.ts): a misspelt name?`);
  for (const [name, value] of Object.entries(env)) {
    if (secret.has(name)) continue;
    if (/[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value)) out.push(`${name} holds a URL with a password in plain text: take it from a Secret`);
    if (/(KEY|KEYS|TOKEN|PASSWORD)$/.test(name)) out.push(`${name} is set in plain text: take it from a Secret`);
  }
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    return [...out, (err as Error).message];
  }
  const check = (run: () => void) => {
    try {
      run();
    } catch (err) {
      out.push((err as Error).message);
    }
  };
  if (!config.production) out.push('NODE_ENV is not production (the image and the manifests are production builds)');
  const docs = process.kind === 'serve' && process.service === 'docs';
  if (process.kind === 'serve') {
    check(() => requireServeSettings(config, process.service));
    // the document server runs no job whatever FLOODGATE_WORKERS says, and is given no secret it never reads
    if (docs) for (const name of UNUSED_BY_DOCS) if (name in env) out.push(`${name}: \`floodgate serve docs\` never reads it (it opens no database, broker or key); leave it out`);
    if (!docs && config.workers.length > 0) out.push(`FLOODGATE_WORKERS: \`floodgate serve ${process.service}\` would run the jobs of ${config.workers.join(', ')} besides the worker Deployments; set it to none`);
  }
  if (process.kind === 'worker') check(() => requireWorkerSettings(config, process.groups));
  if (process.kind === 'migrate' || process.kind === 'seed') check(() => requireWorkerSettings(config, []));
  if (process.kind !== 'fake-psp' && !docs) {
    // every process seals and opens with the same key: one generated per pod would open nothing another sealed
    await loadKeyEncryptionKeys({ production: config.production, ...(config.keyEncryption.key ? { key: config.keyEncryption.key } : {}) }).catch((err: Error) => out.push(err.message));
  }
  return out;
}
