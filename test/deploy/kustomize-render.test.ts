import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../support/temp-dirs.js';
import { renderKustomization } from './kustomize-render.js';

const tempDir = tempDirs('floodgate-kustomize-');

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { tier: api }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: app
          image: floodgate
          env:
            - { name: A, value: "1" }
      topologySpreadConstraints:
        - { topologyKey: topology.kubernetes.io/zone, maxSkew: 1, whenUnsatisfiable: ScheduleAnyway }
`;

/** a base with one Deployment and an overlay with the given kustomization body (and extra files) */
function overlay(body: string, files: Record<string, string> = {}): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'base'));
  mkdirSync(join(dir, 'overlay'));
  writeFileSync(join(dir, 'base', 'kustomization.yaml'), 'resources: [web.yaml]\n');
  writeFileSync(join(dir, 'base', 'web.yaml'), deployment);
  writeFileSync(join(dir, 'overlay', 'kustomization.yaml'), `resources: [../base]\n${body}`);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'overlay', name), text);
  return join(dir, 'overlay');
}

describe('the project reader of kustomization.yaml', () => {
  it('when an overlay patches, sets an image and a namespace, then lists merge by their keys and the rest is replaced', () => {
    const dir = overlay(
      `namespace: shop
images:
  - { name: floodgate, newName: registry.example.com/floodgate, newTag: 1.2.3 }
patches:
  - path: env.yaml
  - target: { kind: Deployment, labelSelector: tier=api }
    patch: |
      - { op: replace, path: /spec/template/spec/topologySpreadConstraints/0/whenUnsatisfiable, value: DoNotSchedule }
`,
      { 'env.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n            - { name: A, value: "2" }\n            - { name: B, value: "3" }\n' },
    );
    const [web] = renderKustomization(dir) as Array<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(web.metadata.namespace).toBe('shop');
    const container = web.spec.template.spec.containers[0];
    expect(container.image).toBe('registry.example.com/floodgate:1.2.3');
    // the patch's new item first, as kustomize puts it; A merged in place
    expect(container.env).toEqual([{ name: 'B', value: '3' }, { name: 'A', value: '2' }]);
    expect(web.spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
  });

  it('when the kustomization uses a field the reader does not know, then it refuses by name instead of ignoring it', () => {
    expect(() => renderKustomization(overlay('configMapGenerator:\n  - { name: x, literals: [a=b] }\n'))).toThrow(/"configMapGenerator" is not supported/);
  });

  it('when a patch matches no object, or a JSON patch path is missing, then the error names the patch', () => {
    const missing = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec: { minReadySeconds: 5 }\n';
    expect(() => renderKustomization(overlay('patches:\n  - path: p.yaml\n', { 'p.yaml': missing }))).toThrow(/patches\[0\]: Deployment\/api matches no object/);
    const badPath = 'patches:\n  - target: { kind: Deployment }\n    patch: |\n      - { op: replace, path: /spec/template/spec/nothing/0, value: 1 }\n';
    expect(() => renderKustomization(overlay(badPath))).toThrow(/Deployment\/web has no \/spec\/template\/spec\/nothing\/0/);
  });
});
