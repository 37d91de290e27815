import { loadConfig } from '../../src/config.js';
import { DOCS_PATHS, SERVICE_DEPENDENCIES, SERVICE_NAMES, SERVICE_PATH_PREFIXES, type ServiceName } from '../../src/runtime/service-names.js';
import { podSpecOf, splitImage, type K8sObject } from './kustomize-render.js';
import { reachable, selects } from './network-policy-eval.js';
import { containerEnv, envProblems, processOf } from './process-env-rules.js';

/** one broken rule: which object, which rule, what is wrong */
export interface Violation {
  object: string;
  rule: string;
  message: string;
}

export interface RuleOptions {
  /** production: hard zone spread, no non-production object */
  production: boolean;
  /** where the overlay's PostgreSQL, Redis and RabbitMQ are, for the network check */
  datastores: { labels: Record<string, string> } | { ip: string };
}

type Container = Record<string, unknown> & { name: string; image?: string; args?: string[]; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } };
type Probe = { httpGet?: { path: string; port: string | number }; exec?: unknown; tcpSocket?: unknown };

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'Job', 'DaemonSet', 'CronJob']);
// src/main.ts stopOn: a stop that outlives SHUTDOWN_DRAIN_TIMEOUT_MS by this much exits at once
const CLI_HARD_EXIT_MARGIN_S = 15;
const idOf = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
const podLabelsOf = (o: K8sObject) => (((o.spec as { template?: { metadata?: { labels?: Record<string, string> } } }).template?.metadata?.labels) ?? {});
const containersOf = (o: K8sObject) => ((podSpecOf(o)?.containers as Container[] | undefined) ?? []);
const isFloodgate = (c: Container) => /(^|\/)floodgate(:|@|$)/.test(c.image ?? '');

/** `500m` → 0.5, `1` → 1; `256Mi` → bytes */
export function quantity(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(value));
  if (!m) return undefined;
  const factor: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
  return Number(m[1]) * (m[2] ? factor[m[2]]! : 1);
}

export async function checkManifests(objects: K8sObject[], options: RuleOptions): Promise<Violation[]> {
  const out: Violation[] = [];
  const add = (o: K8sObject | string, rule: string, message: string) => out.push({ object: typeof o === 'string' ? o : idOf(o), rule, message });
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const namespace = objects.find((o) => o.metadata.namespace)?.metadata.namespace ?? 'default';

  for (const o of objects.filter((x) => WORKLOADS.has(x.kind))) {
    const pod = podSpecOf(o) ?? {};
    const podSecurity = (pod.securityContext ?? {}) as { runAsNonRoot?: boolean; runAsUser?: number };
    for (const c of containersOf(o)) {
      const where = `container ${c.name}`;
      const security = (c.securityContext ?? {}) as { runAsNonRoot?: boolean; runAsUser?: number; allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; privileged?: boolean; capabilities?: { drop?: string[]; add?: string[] } };
      // probes: long-running processes only (a Job ends by itself)
      if (o.kind !== 'Job' && o.kind !== 'CronJob') {
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) if (!c[probe]) add(o, 'probes', `${where} has no ${probe}`);
        const process = isFloodgate(c) ? processOf(c.args ?? []) : undefined;
        if (process && process.kind !== 'fake-psp') {
          if ((c.readinessProbe as Probe | undefined)?.httpGet?.path !== '/readyz') add(o, 'probes', `${where}: readinessProbe must GET /readyz (dependencies reachable, not draining)`);
          if ((c.livenessProbe as Probe | undefined)?.httpGet?.path !== '/healthz') add(o, 'probes', `${where}: livenessProbe must GET /healthz (a dependency outage must not restart the process)`);
        }
      }
      // limits
      for (const kind of ['requests', 'limits'] as const) {
        for (const resource of ['cpu', 'memory']) {
          const value = c.resources?.[kind]?.[resource];
          if (value === undefined) add(o, 'limits', `${where} has no resources.${kind}.${resource}`);
          else if (quantity(value) === undefined) add(o, 'limits', `${where}: resources.${kind}.${resource} "${value}" is not a quantity`);
        }
        const request = quantity(c.resources?.requests?.memory);
        const limit = quantity(c.resources?.limits?.memory);
        if (kind === 'limits' && request !== undefined && limit !== undefined && request > limit) add(o, 'limits', `${where}: the memory request exceeds its limit`);
      }
      // non-root, no privilege
      const nonRoot = security.runAsNonRoot ?? podSecurity.runAsNonRoot;
      const uid = security.runAsUser ?? podSecurity.runAsUser;
      if (nonRoot !== true) add(o, 'non-root', `${where}: runAsNonRoot is not true`);
      if (uid === 0) add(o, 'non-root', `${where}: runAsUser is 0`);
      if (security.allowPrivilegeEscalation !== false) add(o, 'non-root', `${where}: allowPrivilegeEscalation is not false`);
      if (security.privileged) add(o, 'non-root', `${where} is privileged`);
      if (!security.capabilities?.drop?.includes('ALL')) add(o, 'non-root', `${where}: capabilities do not drop ALL`);
      if (security.capabilities?.add?.length) add(o, 'non-root', `${where} adds capabilities ${security.capabilities.add.join(', ')}`);
      if (isFloodgate(c) && security.readOnlyRootFilesystem !== true) add(o, 'read-only-root', `${where}: readOnlyRootFilesystem is not true`);
      // image tags
      const image = splitImage(c.image ?? '');
      if (!image.tag && !image.digest) add(o, 'image-tag', `${where}: image ${c.image} has no tag or digest`);
      else if (image.tag === 'latest' && !image.digest) add(o, 'image-tag', `${where}: image ${c.image} uses latest`);
      // the environment, judged by the code that reads it
      if (isFloodgate(c)) {
        const process = processOf(c.args ?? []);
        const env = containerEnv(c, objects);
        if (!process) add(o, 'command', `${where}: args ${JSON.stringify(c.args)} are not a floodgate serve/worker/migrate/seed command`);
        else for (const message of await envProblems(process, env)) add(o, 'env', `${where}: ${message}`);
        // with a read-only root, the only places a process writes must be volumes: /tmp and its data dir
        const mounts = ((c.volumeMounts as Array<{ mountPath: string; readOnly?: boolean }> | undefined) ?? []).filter((m) => !m.readOnly).map((m) => m.mountPath);
        let dataDir: string | undefined;
        try {
          dataDir = loadConfig(env.env).dataDir;
        } catch {
          // reported by the env rule
        }
        for (const path of ['/tmp', ...(dataDir ? [dataDir] : [])]) if (!mounts.includes(path)) add(o, 'writable-dirs', `${where}: nothing writable is mounted at ${path}${path === dataDir ? ' (FLOODGATE_DATA_DIR)' : ''}`);
      }
    }
  }

  for (const d of of('Deployment')) {
    const labels = podLabelsOf(d);
    const pdbs = of('PodDisruptionBudget').filter((p) => selects((p.spec as { selector?: object }).selector, labels) && (p.metadata.namespace ?? '') === (d.metadata.namespace ?? ''));
    if (pdbs.length === 0) add(d, 'pdb', 'no PodDisruptionBudget selects its pods');
    const hpas = of('HorizontalPodAutoscaler').filter((h) => {
      const ref = (h.spec as { scaleTargetRef?: { kind: string; name: string } }).scaleTargetRef;
      return ref?.kind === 'Deployment' && ref.name === d.metadata.name;
    });
    if (hpas.length !== 1) add(d, 'hpa', `${hpas.length} HorizontalPodAutoscalers scale it (expected 1)`);
    for (const h of hpas) {
      const spec = h.spec as { minReplicas?: number; maxReplicas: number; metrics?: Array<{ type: string; resource?: { name: string } }>; behavior?: { scaleUp?: unknown; scaleDown?: unknown } };
      if (!spec.metrics?.some((m) => m.type === 'Resource' && m.resource?.name === 'cpu')) add(h, 'hpa', `scales ${d.metadata.name} on no CPU metric`);
      if ((spec.minReplicas ?? 1) > spec.maxReplicas) add(h, 'hpa', 'minReplicas exceeds maxReplicas');
      if (options.production && !(spec.behavior?.scaleUp && spec.behavior.scaleDown)) add(h, 'hpa', 'no scaleUp/scaleDown behaviour');
    }
    if ((d.spec as { replicas?: number }).replicas !== undefined && hpas.length) add(d, 'hpa', 'sets spec.replicas although an HPA owns the count (each apply would reset it)');

    const pod = podSpecOf(d)!;
    const c = containersOf(d).find(isFloodgate);
    if (c) {
      const env = containerEnv(c, objects).env;
      let drainSeconds = 10;
      try {
        drainSeconds = loadConfig(env).shutdown.timeoutMs / 1000;
      } catch {
        // reported by the env rule
      }
      const preStop = ((c.lifecycle as { preStop?: { exec?: { command?: string[] }; sleep?: { seconds: number } } } | undefined)?.preStop);
      const sleep = preStop?.sleep?.seconds ?? (preStop?.exec?.command?.[0] === 'sleep' ? Number(preStop.exec.command[1]) : undefined);
      if (sleep === undefined) add(d, 'drain', 'no preStop sleep: the endpoints would still route to a pod that is draining');
      const grace = (pod.terminationGracePeriodSeconds as number | undefined) ?? 30;
      const needed = (sleep ?? 0) + drainSeconds + CLI_HARD_EXIT_MARGIN_S;
      if (grace < needed) add(d, 'drain', `terminationGracePeriodSeconds ${grace} < preStop ${sleep ?? 0} s + SHUTDOWN_DRAIN_TIMEOUT_MS ${drainSeconds} s + ${CLI_HARD_EXIT_MARGIN_S} s: SIGKILL would cut the drain`);
    }
    const spread = (pod.topologySpreadConstraints as Array<{ topologyKey: string; whenUnsatisfiable: string; labelSelector?: object }> | undefined) ?? [];
    const zone = spread.find((s) => s.topologyKey === 'topology.kubernetes.io/zone');
    if (!zone || !selects(zone.labelSelector, podLabelsOf(d))) add(d, 'zone-spread', 'no topology spread across zones that selects its own pods');
    else if (options.production && zone.whenUnsatisfiable !== 'DoNotSchedule') add(d, 'zone-spread', 'production spreads across zones as a hard rule (whenUnsatisfiable: DoNotSchedule)');
  }

  const pods = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  for (const s of of('Service')) {
    const spec = s.spec as { selector?: Record<string, string>; ports?: Array<{ port: number; targetPort?: string | number }> };
    const backing = pods.filter((p) => spec.selector && Object.keys(spec.selector).length && selects({ matchLabels: spec.selector }, podLabelsOf(p)));
    if (backing.length === 0) add(s, 'service-selector', `its selector ${JSON.stringify(spec.selector)} matches no Deployment or StatefulSet`);
    for (const port of spec.ports ?? []) {
      if (typeof port.targetPort !== 'string') continue;
      for (const p of backing) {
        const named = containersOf(p).some((c) => ((c.ports as Array<{ name?: string }> | undefined) ?? []).some((cp) => cp.name === port.targetPort));
        if (!named) add(s, 'service-selector', `targetPort ${port.targetPort} is not a named port of ${idOf(p)}`);
      }
    }
  }

  checkIngress(objects, add);
  checkNetwork(objects, namespace, options, add);

  for (const o of objects) {
    if (o.kind === 'Secret' && ((o as { data?: object }).data || (o as { stringData?: object }).stringData)) add(o, 'no-secret-values', 'a Secret with values in the repository');
    const nonProduction = o.metadata.annotations?.['floodgate/non-production'];
    if (options.production && nonProduction) add(o, 'non-production', `a non-production object in the production overlay: ${nonProduction}`);
    if (!options.production && o.kind === 'StatefulSet' && !nonProduction) add(o, 'non-production', 'an in-cluster datastore of the dev overlay must say it is not for production (annotation floodgate/non-production)');
  }
  return out;
}

type Add = (o: K8sObject | string, rule: string, message: string) => void;

/** the Deployment runs `floodgate serve docs` (the whole API's document, no datastore) */
const isDocs = (d: K8sObject) => containersOf(d).some((c) => {
  const process = isFloodgate(c) ? processOf(c.args ?? []) : undefined;
  return process?.kind === 'serve' && process.service === 'docs';
});

/** the Service named `name` selects the pods of a `floodgate serve docs` Deployment */
function isDocsService(objects: K8sObject[], name: string) {
  const selector = (objects.find((o) => o.kind === 'Service' && o.metadata.name === name)?.spec as { selector?: Record<string, string> } | undefined)?.selector;
  return Boolean(selector && Object.keys(selector).length) && objects.some((o) => o.kind === 'Deployment' && isDocs(o) && selects({ matchLabels: selector }, podLabelsOf(o)));
}

/** the Ingress routes each public path prefix of src/runtime/service-names.ts to its service, and nothing to /internal/ */
function checkIngress(objects: K8sObject[], add: Add) {
  type Path = { path: string; pathType: string; backend: { service: { name: string; port: { name?: string; number?: number } } } };
  const paths = objects.filter((o) => o.kind === 'Ingress').flatMap((ing) =>
    ((ing.spec as { rules?: Array<{ http?: { paths: Path[] } }> }).rules ?? []).flatMap((r) => r.http?.paths ?? []).map((p) => ({ ...p, ingress: ing })),
  );
  const route = (path: string) =>
    paths
      .filter((p) => (p.pathType === 'Exact' ? path === p.path : path === p.path || path.startsWith(p.path.endsWith('/') ? p.path : `${p.path}/`)))
      .sort((a, b) => b.path.length - a.path.length)[0];
  for (const [prefix, service] of SERVICE_PATH_PREFIXES) {
    const probe = prefix.endsWith('/') ? `${prefix}x` : prefix;
    const hit = route(probe);
    if (hit?.backend.service.name !== service) add(`Ingress`, 'ingress-routes', `${probe} goes to ${hit ? hit.backend.service.name : 'no service'}, expected ${service} (SERVICE_PATH_PREFIXES)`);
  }
  // the whole API's document: a service process would answer its own operations' share of it
  for (const path of DOCS_PATHS) {
    const hit = route(path);
    if (!hit || !isDocsService(objects, hit.backend.service.name)) add('Ingress', 'ingress-routes', `${path} goes to ${hit ? hit.backend.service.name : 'no service'}, expected the Service of \`floodgate serve docs\` (DOCS_PATHS)`);
  }
  for (const internal of ['/internal/customers/v1/x', '/v1/internal/x', '/metrics', '/ops']) {
    const hit = route(internal);
    if (hit) add(hit.ingress, 'ingress-routes', `${internal} is reachable from outside (via ${hit.path})`);
  }
  for (const p of paths) {
    const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === p.backend.service.name);
    const ports = ((svc?.spec as { ports?: Array<{ name?: string; port: number }> } | undefined)?.ports) ?? [];
    if (!svc || !ports.some((sp) => sp.name === p.backend.service.port.name || sp.port === p.backend.service.port.number)) add(p.ingress, 'ingress-routes', `${p.path} → service ${p.backend.service.name} port ${JSON.stringify(p.backend.service.port)}, which does not exist`);
  }
}

/** each service reaches exactly the services it calls (SERVICE_DEPENDENCIES), the Ingress controller reaches the APIs, every process its datastores */
function checkNetwork(objects: K8sObject[], namespace: string, options: RuleOptions, add: Add) {
  const components = objects.filter((o) => o.kind === 'Deployment').map((d) => ({ d, pod: { namespace, labels: podLabelsOf(d) } }));
  const serviceOf = (d: K8sObject) => (SERVICE_NAMES as string[]).includes(d.metadata.name) ? (d.metadata.name as ServiceName) : undefined;
  const ingressController = { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } };
  const datastore = 'ip' in options.datastores ? { ip: options.datastores.ip } : { namespace, labels: options.datastores.labels };
  for (const to of components) {
    const target = serviceOf(to.d);
    const edge = reachable(objects, ingressController, to.pod, 8080);
    const isPublic = Boolean(target) || isDocs(to.d);
    if (isPublic && !edge) add(to.d, 'network', 'the Ingress controller cannot reach it on 8080');
    if (!isPublic && edge) add(to.d, 'network', 'the Ingress controller can reach it, but it serves no public route');
    for (const from of components) {
      if (from === to) continue;
      const caller = serviceOf(from.d);
      const expected = Boolean(target && caller && (SERVICE_DEPENDENCIES[caller] as readonly string[]).includes(target));
      const actual = reachable(objects, from.pod, to.pod, 8080);
      if (expected && !actual) add(from.d, 'network', `cannot reach ${target} on 8080, which it calls (SERVICE_DEPENDENCIES)`);
      if (!expected && actual && (target || isDocs(to.d))) add(from.d, 'network', `can reach ${target ?? to.d.metadata.name} on 8080, which it never calls`);
    }
  }
  for (const { d, pod } of components) {
    // the document server opens none of them: reaching them would be access for nothing
    const opensDatastores = !isDocs(d);
    for (const [port, what] of [[5432, 'PostgreSQL'], [6379, 'Redis'], [5672, 'RabbitMQ']] as const) {
      const can = reachable(objects, pod, datastore, port);
      if (opensDatastores && !can) add(d, 'network', `cannot reach ${what} (${port}) where the overlay keeps it`);
      if (!opensDatastores && can) add(d, 'network', `can reach ${what} (${port}), which \`floodgate serve docs\` never opens`);
    }
  }
}
