import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../../src/runtime/service-names.js';
import { WORKER_GROUP_NAMES } from '../../src/runtime/worker-groups.js';
import { checkManifests, type RuleOptions } from './k8s-rules.js';
import { schemaProblems } from './k8s-schema.js';
import { renderKustomization, type K8sObject } from './kustomize-render.js';

// the broken-overlay tests reach deep into rendered YAML to break one field each
type Yaml = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const k8s = fileURLToPath(new URL('../../deploy/k8s/', import.meta.url));
const kubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const OVERLAYS: Record<string, RuleOptions> = {
  dev: { production: false, datastores: { labels: { 'app.kubernetes.io/part-of': 'floodgate-dev-datastores' } } },
  // deploy/terraform's data subnet
  production: { production: true, datastores: { ip: '10.40.16.10' } },
};

const idOf = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;

describe.each(Object.entries(OVERLAYS))('deploy/k8s/overlays/%s', (overlay, options) => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = renderKustomization(`${k8s}overlays/${overlay}`);
  });

  it('when rendered, then it holds a Deployment, HPA and PDB per service, for the docs process and per worker group, their Services, the migrations Job, the Ingress and the NetworkPolicies', () => {
    const names = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();
    const deployments = [...SERVICE_NAMES, 'docs', ...WORKER_GROUP_NAMES.map((g) => `worker-${g}`)].sort();
    expect(names('Deployment')).toEqual(deployments);
    expect(names('HorizontalPodAutoscaler')).toEqual(deployments);
    expect(names('PodDisruptionBudget')).toEqual(deployments);
    expect(names('Service')).toEqual(expect.arrayContaining([...SERVICE_NAMES, 'docs']));
    expect(names('Job')).toContain('migrate');
    expect(names('Ingress')).toEqual(['floodgate', 'floodgate-catalog']);
    expect(names('NetworkPolicy')).toEqual(expect.arrayContaining(['floodgate-default-deny', ...SERVICE_NAMES, 'docs']));
    expect(new Set(objects.map((o) => o.metadata.namespace))).toEqual(new Set([overlay === 'dev' ? 'floodgate-dev' : 'floodgate']));
  });

  it.skipIf(!kubectl)('when kubectl is installed, then its kustomize renders exactly what the project reader renders', () => {
    const theirs = parseAllDocuments(execFileSync('kubectl', ['kustomize', `${k8s}overlays/${overlay}`], { encoding: 'utf8' })).map((d) => d.toJS() as K8sObject);
    const byId = (list: K8sObject[]) => Object.fromEntries(list.map((o) => [idOf(o), o]));
    expect(byId(objects)).toEqual(byId(theirs));
  });

  it('when every object is validated against the Kubernetes schemas, then none is refused', async () => {
    const problems = (await Promise.all(objects.map(async (o) => [idOf(o), await schemaProblems(o)] as const))).filter(([, p]) => p);
    expect(problems).toEqual([]);
  });

  it("when the project's rules are checked, then none is broken", async () => {
    expect(await checkManifests(objects, options)).toEqual([]);
  });
});

describe('the manifest rules, on broken overlays (each names the object and the rule)', () => {
  let dev: K8sObject[];
  let production: K8sObject[];
  beforeAll(() => {
    dev = renderKustomization(`${k8s}overlays/dev`);
    production = renderKustomization(`${k8s}overlays/production`);
  });
  const broken = (objects: K8sObject[], change: (find: (id: string) => Yaml, all: K8sObject[]) => void) => {
    const copy = structuredClone(objects);
    const find = (id: string) => {
      const found = copy.find((o) => idOf(o) === id);
      if (!found) throw new Error(`no ${id}`);
      return found;
    };
    change(find, copy);
    return copy;
  };
  const container = (o: Yaml) => o.spec.template.spec.containers[0];
  const violations = (objects: K8sObject[], options = OVERLAYS.dev!) => checkManifests(objects, options);

  it('when a required variable is missing from a Deployment, then the env rule names the Deployment and the variable the process stops on', async () => {
    const objects = broken(dev, (find) => {
      const c = container(find('Deployment/orders'));
      c.env = c.env.filter((e: { name: string }) => e.name !== 'AMQP_URL');
    });
    expect(await violations(objects)).toEqual([{ object: 'Deployment/orders', rule: 'env', message: expect.stringContaining('AMQP_URL: required by `floodgate serve orders`') }]);
  });

  it('when the ConfigMap loses a service URL, then every Deployment that calls that service is named', async () => {
    const objects = broken(dev, (find) => delete find('ConfigMap/floodgate-config').data.CATALOG_URL);
    const found = (await violations(objects)).filter((v) => v.rule === 'env');
    expect(found.map((v) => v.object).sort()).toEqual(['Deployment/carts', 'Deployment/flash-sales']);
    expect(found[0]!.message).toContain('CATALOG_URL');
  });

  it('when a variable is misspelt, a secret is in plain text, or API processes would run the jobs, then each is named', async () => {
    const objects = broken(dev, (find) => {
      const data = find('ConfigMap/floodgate-config').data;
      data.DATABSE_POOL_SIZE = '5';
      data.FLOODGATE_WORKERS = 'all';
      container(find('Deployment/worker-sweepers')).env.push({ name: 'FLOODGATE_ADMIN_PASSWORD', value: 'x'.repeat(40) });
    });
    const found = await violations(objects);
    expect(found).toContainEqual({ object: 'Deployment/catalog', rule: 'env', message: expect.stringContaining('DATABSE_POOL_SIZE is read by no process') });
    expect(found).toContainEqual({ object: 'Deployment/catalog', rule: 'env', message: expect.stringContaining('FLOODGATE_WORKERS: `floodgate serve catalog` would run the jobs') });
    expect(found).toContainEqual({ object: 'Deployment/worker-sweepers', rule: 'env', message: expect.stringContaining('FLOODGATE_ADMIN_PASSWORD is set in plain text') });
  });

  it('when the docs process is handed a datastore secret, may reach the datastores, or its paths go to a service process, then each is named', async () => {
    const objects = broken(dev, (find) => {
      container(find('Deployment/docs')).env.push({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'floodgate-secrets', key: 'DATABASE_URL' } } });
      // both ends opened to it, as before the docs process had its own rule
      find('NetworkPolicy/floodgate-datastores').spec.podSelector = { matchLabels: { 'app.kubernetes.io/part-of': 'floodgate' } };
      find('NetworkPolicy/dev-datastores').spec.ingress[0].from = [{ podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'floodgate' } } }];
      const rules = find('Ingress/floodgate').spec.rules[0].http;
      rules.paths = rules.paths.map((p: { path: string; backend: { service: { name: string } } }) => (p.path === '/v1/openapi.json' ? { ...p, backend: { service: { ...p.backend.service, name: 'catalog' } } } : p));
    });
    const found = await violations(objects);
    expect(found).toContainEqual({ object: 'Deployment/docs', rule: 'env', message: expect.stringContaining('DATABASE_URL: `floodgate serve docs` never reads it') });
    expect(found).toContainEqual({ object: 'Deployment/docs', rule: 'network', message: 'can reach PostgreSQL (5432), which `floodgate serve docs` never opens' });
    expect(found).toContainEqual({ object: 'Ingress', rule: 'ingress-routes', message: expect.stringContaining('/v1/openapi.json goes to catalog, expected the Service of `floodgate serve docs`') });
    expect(found.filter((v) => v.object !== 'Deployment/docs' && v.object !== 'Ingress')).toEqual([]);
  });

  it('when a probe or a limit is missing, then probes / limits name the Deployment and the container', async () => {
    const objects = broken(dev, (find) => {
      delete container(find('Deployment/catalog')).readinessProbe;
      delete container(find('Deployment/worker-payments')).resources.limits.memory;
    });
    expect(await violations(objects)).toEqual([
      { object: 'Deployment/catalog', rule: 'probes', message: 'container floodgate has no readinessProbe' },
      { object: 'Deployment/catalog', rule: 'probes', message: expect.stringContaining('readinessProbe must GET /readyz') },
      { object: 'Deployment/worker-payments', rule: 'limits', message: 'container floodgate has no resources.limits.memory' },
    ]);
  });

  it('when a PDB or an HPA is missing, then the Deployment left without one is named', async () => {
    const objects = broken(dev, (_, all) => {
      all.splice(all.findIndex((o) => idOf(o) === 'PodDisruptionBudget/carts'), 1);
      all.splice(all.findIndex((o) => idOf(o) === 'HorizontalPodAutoscaler/inventory'), 1);
    });
    expect(await violations(objects)).toEqual([
      { object: 'Deployment/inventory', rule: 'hpa', message: '0 HorizontalPodAutoscalers scale it (expected 1)' },
      { object: 'Deployment/carts', rule: 'pdb', message: 'no PodDisruptionBudget selects its pods' },
    ]);
  });

  it('when the image is latest, the pod may run as root, the grace period is shorter than the drain or the data dir is not a volume, then each is named', async () => {
    const objects = broken(dev, (find) => {
      container(find('Deployment/payments')).image = 'floodgate:latest';
      const pod = find('Deployment/customers').spec.template.spec;
      pod.securityContext.runAsNonRoot = false;
      delete pod.containers[0].securityContext.runAsNonRoot;
      find('Deployment/orders').spec.template.spec.terminationGracePeriodSeconds = 10;
      find('ConfigMap/floodgate-config').data.FLOODGATE_DATA_DIR = '/data';
    });
    const found = await violations(objects);
    expect(found).toContainEqual({ object: 'Deployment/payments', rule: 'image-tag', message: 'container floodgate: image floodgate:latest uses latest' });
    expect(found).toContainEqual({ object: 'Deployment/customers', rule: 'non-root', message: 'container floodgate: runAsNonRoot is not true' });
    expect(found).toContainEqual({ object: 'Deployment/orders', rule: 'drain', message: expect.stringContaining('terminationGracePeriodSeconds 10 < preStop 5 s + SHUTDOWN_DRAIN_TIMEOUT_MS 10 s') });
    expect(found).toContainEqual({ object: 'Job/migrate', rule: 'writable-dirs', message: 'container floodgate: nothing writable is mounted at /data (FLOODGATE_DATA_DIR)' });
  });

  it("when a Service's selector matches nothing or an Ingress path is lost, then the Service or the path is named", async () => {
    const objects = broken(dev, (find) => {
      find('Service/inventory').spec.selector['app.kubernetes.io/component'] = 'inventroy';
      const rules = find('Ingress/floodgate').spec.rules[0].http;
      rules.paths = rules.paths.filter((p: { path: string }) => p.path !== '/v1/carts');
    });
    const found = await violations(objects);
    expect(found).toContainEqual({ object: 'Service/inventory', rule: 'service-selector', message: expect.stringContaining('matches no Deployment or StatefulSet') });
    expect(found).toContainEqual({ object: 'Ingress', rule: 'ingress-routes', message: '/v1/carts goes to no service, expected carts (SERVICE_PATH_PREFIXES)' });
  });

  it('when a NetworkPolicy is lost or opened up, then the calls it broke or allowed are named', async () => {
    const objects = broken(dev, (find, all) => {
      all.splice(all.findIndex((o) => idOf(o) === 'NetworkPolicy/orders'), 1);
      // catalog may now call any pod, and payments may be called by any pod
      find('NetworkPolicy/catalog').spec.egress[0].to.push({ podSelector: {} });
      find('NetworkPolicy/payments').spec.ingress[0].from.push({ podSelector: {} });
    });
    const found = (await violations(objects)).filter((v) => v.rule === 'network');
    // without its own policy, orders is left with the default deny: it calls nothing and nothing reaches it
    expect(found).toContainEqual({ object: 'Deployment/orders', rule: 'network', message: 'cannot reach carts on 8080, which it calls (SERVICE_DEPENDENCIES)' });
    expect(found).toContainEqual({ object: 'Deployment/flash-sales', rule: 'network', message: 'cannot reach orders on 8080, which it calls (SERVICE_DEPENDENCIES)' });
    expect(found).toContainEqual({ object: 'Deployment/orders', rule: 'network', message: 'the Ingress controller cannot reach it on 8080' });
    expect(found).toContainEqual({ object: 'Deployment/catalog', rule: 'network', message: 'can reach payments on 8080, which it never calls' });
    // both ends must open: a worker's egress still holds
    expect(found.filter((v) => v.object === 'Deployment/worker-sweepers')).toEqual([]);
  });

  it('when production spreads softly or carries a dev-only object, then zone-spread / non-production name it', async () => {
    const objects = broken(production, (find, all) => {
      find('Deployment/flash-sales').spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable = 'ScheduleAnyway';
      all.push(structuredClone(dev.find((o) => idOf(o) === 'StatefulSet/postgres')!));
    });
    const found = await violations(objects, OVERLAYS.production);
    expect(found).toContainEqual({ object: 'Deployment/flash-sales', rule: 'zone-spread', message: expect.stringContaining('DoNotSchedule') });
    expect(found).toContainEqual({ object: 'StatefulSet/postgres', rule: 'non-production', message: expect.stringContaining('non-production object in the production overlay') });
  });

  it('when an object breaks the Kubernetes schema, then the schema check says where', async () => {
    const objects = broken(dev, (find) => {
      container(find('Deployment/carts')).resources.limits.memory = 'lots';
    });
    expect(await schemaProblems(objects.find((o) => idOf(o) === 'Deployment/carts')!)).toContain('spec/template/spec/containers/0/resources/limits/memory must match format "quantity"');
  });
});
