import type { K8sObject } from './kustomize-render.js';

/**
 * Every object against the Kubernetes OpenAPI schemas, offline: kubernetes-models ships one validator per
 * apiVersion/kind (kubernetes-models/<group>/<version>/<Kind>). Its schemas, like the API's, allow unknown
 * fields, so a misspelt field passes here; `kubectl apply --validate=strict` against a cluster catches those.
 */
export async function schemaProblems(o: K8sObject): Promise<string | undefined> {
  const modulePath = `kubernetes-models/${o.apiVersion}/${o.kind}`;
  let Model: new (data: unknown) => { validate(): void };
  try {
    const loaded = (await import(modulePath)) as Record<string, new (data: unknown) => { validate(): void }>;
    Model = loaded[o.kind]!;
  } catch {
    return `no schema for ${o.apiVersion} ${o.kind} in kubernetes-models`;
  }
  try {
    new Model(o).validate();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
