import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The project's own reading of a kustomization (deploy/k8s), for machines without `kubectl kustomize`: the
 * subset the overlays use — resources (files and directories), namespace, images, and patches (strategic
 * merge with or without a target, JSON 6902 with one). Anything else is refused by name rather than ignored,
 * so a new field in an overlay cannot pass unrendered. Where kubectl is installed the test suite renders with
 * both and compares.
 */

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Target {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  labelSelector?: string;
}

const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'patches', 'namespace', 'images']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass']);

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;

function readYamlDocuments(file: string): Json[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    return doc.toJS() as Json;
  }).filter((doc) => doc !== null);
}

function kustomizationFile(dir: string): string {
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`${dir}: no kustomization.yaml`);
  return file;
}

/** renders the kustomization in `dir` to its list of objects, as `kubectl kustomize <dir>` does */
export function renderKustomization(dir: string): K8sObject[] {
  const file = kustomizationFile(dir);
  const k = parse(readFileSync(file, 'utf8')) as JsonObject;
  for (const field of Object.keys(k)) if (!SUPPORTED_FIELDS.has(field)) throw new Error(`${file}: "${field}" is not supported by the project's kustomize reader (supported: ${[...SUPPORTED_FIELDS].join(', ')})`);

  let objects: K8sObject[] = [];
  for (const entry of (k.resources as string[] | undefined) ?? []) {
    const path = resolve(dir, entry);
    if (statSync(path).isDirectory()) objects.push(...renderKustomization(path));
    else objects.push(...readYamlDocuments(path).map((doc) => asObject(doc, path)));
  }
  const seen = new Set<string>();
  for (const o of objects) {
    if (seen.has(idOf(o))) throw new Error(`${file}: ${idOf(o)} is defined twice`);
    seen.add(idOf(o));
  }

  for (const [i, p] of ((k.patches as JsonObject[] | undefined) ?? []).entries()) {
    const where = `${file}: patches[${i}]`;
    const text = typeof p.path === 'string' ? readFileSync(resolve(dir, p.path), 'utf8') : typeof p.patch === 'string' ? p.patch : undefined;
    if (text === undefined) throw new Error(`${where}: needs path or patch`);
    const target = isObject(p.target) ? (p.target as Target) : undefined;
    const docs = parseAllDocuments(text).map((d) => d.toJS() as Json).filter((d) => d !== null);
    if (docs.length === 1 && Array.isArray(docs[0])) {
      if (!target) throw new Error(`${where}: a JSON 6902 patch needs a target`);
      const matched = objects.filter((o) => matches(o, target));
      if (matched.length === 0) throw new Error(`${where}: the target matches no object`);
      objects = objects.map((o) => (matches(o, target) ? applyJsonPatch(o, docs[0] as JsonObject[], where) : o));
      continue;
    }
    for (const doc of docs) {
      if (!isObject(doc)) throw new Error(`${where}: a strategic merge patch is a mapping`);
      const patch = doc as unknown as K8sObject;
      const selects = target ? (o: K8sObject) => matches(o, target) : (o: K8sObject) => o.kind === patch.kind && o.metadata.name === patch.metadata?.name;
      const matched = objects.filter(selects);
      if (matched.length === 0) throw new Error(`${where}: ${target ? 'the target' : `${patch.kind}/${patch.metadata?.name}`} matches no object`);
      objects = objects.map((o) => {
        if (!selects(o)) return o;
        // with a target, the patch's own kind and name only say what it is written for
        const body = { ...(doc as JsonObject) };
        if (target) body.metadata = { ...(isObject(body.metadata) ? body.metadata : {}), name: o.metadata.name };
        return strategicMerge(o as unknown as JsonObject, body, '') as unknown as K8sObject;
      });
    }
  }

  for (const image of (k.images as JsonObject[] | undefined) ?? []) objects = objects.map((o) => withImage(o, image));
  if (typeof k.namespace === 'string') {
    const namespace = k.namespace;
    objects = objects.map((o) => (CLUSTER_SCOPED.has(o.kind) ? o : { ...o, metadata: { ...o.metadata, namespace } }));
  }
  return objects;
}

function asObject(doc: Json, file: string): K8sObject {
  if (!isObject(doc) || typeof doc.kind !== 'string' || typeof doc.apiVersion !== 'string' || !isObject(doc.metadata) || typeof doc.metadata.name !== 'string') {
    throw new Error(`${file}: every document needs apiVersion, kind and metadata.name`);
  }
  return doc as unknown as K8sObject;
}

function matches(o: K8sObject, t: Target): boolean {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
  if (t.kind && t.kind !== o.kind) return false;
  if (t.group !== undefined && t.group !== group) return false;
  if (t.version && t.version !== version) return false;
  if (t.name && !new RegExp(`^(?:${t.name})$`).test(o.metadata.name)) return false;
  if (t.labelSelector) {
    for (const term of t.labelSelector.split(',')) {
      const [key, value] = term.split('=').map((s) => s.trim());
      if (value === undefined) throw new Error(`labelSelector "${t.labelSelector}": only key=value terms are supported`);
      if (o.metadata.labels?.[key!] !== value) return false;
    }
  }
  return true;
}

/** the fields whose lists merge item by item (Kubernetes' patchMergeKey); every other list is replaced */
function mergeKeysOf(field: string, items: Json[]): string[] | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return ['name'];
    case 'volumeMounts':
      return ['mountPath'];
    case 'ports':
      return items.every((i) => isObject(i) && 'containerPort' in i) ? ['containerPort'] : ['port'];
    case 'topologySpreadConstraints':
      return ['topologyKey', 'whenUnsatisfiable'];
    default:
      return undefined;
  }
}

function strategicMerge(base: Json, patch: Json, field: string): Json {
  if (isObject(patch)) {
    if ('$patch' in patch || Object.keys(patch).some((key) => key.startsWith('$'))) throw new Error(`strategic merge directives ($patch, $setElementOrder…) are not supported (at ${field || 'the top'})`);
    const out: JsonObject = isObject(base) ? { ...base } : {};
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = key in out ? strategicMerge(out[key]!, value, key) : value;
    }
    return out;
  }
  if (Array.isArray(patch) && Array.isArray(base)) {
    const keys = mergeKeysOf(field, [...base, ...patch]);
    if (!keys) return patch;
    const keyOf = (item: Json) => (isObject(item) ? keys.map((k) => JSON.stringify(item[k] ?? null)).join('|') : JSON.stringify(item));
    const merged = base.map((item) => {
      const update = patch.find((p) => keyOf(p) === keyOf(item));
      return update === undefined ? item : strategicMerge(item, update, field);
    });
    // kustomize (kyaml) puts the items that only the patch has first
    const added = patch.filter((p) => !base.some((item) => keyOf(item) === keyOf(p)));
    return [...added, ...merged];
  }
  return patch;
}

function pointer(path: string): string[] {
  if (!path.startsWith('/')) throw new Error(`JSON pointer "${path}" must start with /`);
  return path.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function applyJsonPatch(o: K8sObject, ops: JsonObject[], where: string): K8sObject {
  const doc = structuredClone(o) as unknown as JsonObject;
  for (const op of ops) {
    const parts = pointer(String(op.path));
    const last = parts.pop()!;
    let parent: Json = doc;
    for (const part of parts) {
      parent = Array.isArray(parent) ? parent[Number(part)]! : isObject(parent) ? parent[part]! : null;
      if (parent === undefined || parent === null) throw new Error(`${where}: ${idOf(o)} has no ${op.path}`);
    }
    if (op.op === 'replace' || op.op === 'add') {
      if (Array.isArray(parent)) {
        const index = last === '-' ? parent.length : Number(last);
        if (op.op === 'add') parent.splice(index, 0, op.value!);
        else if (index < parent.length) parent[index] = op.value!;
        else throw new Error(`${where}: ${idOf(o)} has no ${op.path}`);
      } else if (isObject(parent)) {
        if (op.op === 'replace' && !(last in parent)) throw new Error(`${where}: ${idOf(o)} has no ${op.path}`);
        parent[last] = op.value!;
      }
    } else if (op.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else if (isObject(parent)) delete parent[last];
    } else {
      throw new Error(`${where}: JSON patch op "${String(op.op)}" is not supported (add, replace, remove)`);
    }
  }
  return doc as unknown as K8sObject;
}

/** the pod template (or pod) of a workload, where its containers are */
export function podSpecOf(o: K8sObject): JsonObject | undefined {
  const spec = o.spec as JsonObject | undefined;
  if (o.kind === 'Pod') return spec;
  if (o.kind === 'CronJob') return ((((spec?.jobTemplate as JsonObject)?.spec as JsonObject)?.template as JsonObject)?.spec as JsonObject) ?? undefined;
  return ((spec?.template as JsonObject | undefined)?.spec as JsonObject | undefined) ?? undefined;
}

/** `name[:tag][@digest]` → parts (a registry port is not a tag) */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [rest, digest] = image.split('@') as [string, string?];
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  const hasTag = colon > slash;
  return { name: hasTag ? rest.slice(0, colon) : rest, ...(hasTag ? { tag: rest.slice(colon + 1) } : {}), ...(digest ? { digest } : {}) };
}

function withImage(o: K8sObject, entry: JsonObject): K8sObject {
  const pod = podSpecOf(o);
  if (!pod) return o;
  const copy = structuredClone(o);
  const copyPod = podSpecOf(copy)!;
  for (const list of ['containers', 'initContainers'] as const) {
    for (const c of (copyPod[list] as JsonObject[] | undefined) ?? []) {
      const current = splitImage(String(c.image));
      if (current.name !== entry.name) continue;
      const name = typeof entry.newName === 'string' ? entry.newName : current.name;
      if (typeof entry.digest === 'string') c.image = `${name}@${entry.digest}`;
      else {
        const tag = typeof entry.newTag === 'string' ? entry.newTag : current.tag;
        c.image = `${name}${tag ? `:${tag}` : ''}${!entry.newTag && current.digest ? `@${current.digest}` : ''}`;
      }
    }
  }
  return copy;
}

export const kustomizationDir = (file: string) => dirname(kustomizationFile(file));
