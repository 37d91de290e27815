import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const servicesDir = join(root, 'src', 'services');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
    .map((m) => m[1] ?? m[2])
    .filter((s): s is string => Boolean(s?.startsWith('.')));

describe('module boundaries (DESIGN.md section 2)', () => {
  it('when a service imports another service, then only through that service\'s contract/ folder', () => {
    const violations: string[] = [];
    // tests and their support files may compose real neighbours, as a composition root does
    const isTest = (file: string) => /\.(test|int\.test|test-support|contract-test)\.ts$/.test(file);
    for (const file of walk(servicesDir).filter((f) => !isTest(f))) {
      const owner = relative(servicesDir, file).split(sep)[0];
      for (const spec of importsOf(file)) {
        const target = relative(servicesDir, resolve(dirname(file), spec));
        if (target.startsWith('..')) continue; // platform or outside services
        const [service, folder] = target.split(sep);
        if (service !== owner && folder !== 'contract') violations.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('when platform code imports, then never from a service (platform holds no business rules)', () => {
    const violations = walk(join(root, 'src', 'platform')).flatMap((file) =>
      importsOf(file).filter((spec) => resolve(dirname(file), spec).startsWith(servicesDir)).map((spec) => `${relative(root, file)} imports ${spec}`));
    expect(violations).toEqual([]);
  });
});
