import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../../bin/node-flags.js';
import { lintDockerfile, parseDockerfile } from './dockerfile-lint.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dockerfile = readFileSync(`${root}deploy/Dockerfile`, 'utf8');
const dockerignore = readFileSync(`${root}.dockerignore`, 'utf8');

/** .dockerignore as Docker reads it: patterns in order, the last one that matches decides, `!` re-includes */
function ignored(path: string): boolean {
  let result = false;
  for (const rawLine of dockerignore.split('\n')) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    const pattern = (negate ? line.slice(1) : line).replace(/\/$/, '');
    const regex = new RegExp(`^${pattern.split('**').map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')).join('.*').replace(/^\.\*\//, '(.*/)?')}(/.*)?$`);
    if (regex.test(path)) result = !negate;
  }
  return result;
}

const minimal = (final: string) => `ARG NODE_IMAGE=node:20.20.2-bookworm-slim
FROM \${NODE_IMAGE} AS build
WORKDIR /app
RUN npm ci && npm run build
FROM \${NODE_IMAGE}
WORKDIR /app
RUN npm ci --omit=dev
${final}`;
const rulesOf = (text: string) => lintDockerfile(text).map((f) => f.rule);

describe('deploy/Dockerfile', () => {
  it('when linted, then no rule is broken', () => {
    expect(lintDockerfile(dockerfile)).toEqual([]);
  });

  it('when read, then it has build, production-dependency and runtime stages, runs as uid 1000 and starts floodgate with node and the servers\' V8 flags (bin/node-flags.js)', () => {
    const ins = parseDockerfile(dockerfile);
    expect(ins.filter((i) => i.keyword === 'FROM').map((i) => i.args)).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS deps', '${NODE_IMAGE} AS runtime']);
    expect(ins.filter((i) => i.keyword === 'USER').at(-1)?.args).toBe('1000:1000');
    expect(ins.find((i) => i.keyword === 'ENTRYPOINT')?.args).toBe(JSON.stringify(['node', ...NODE_FLAGS, 'bin/floodgate.js']).replaceAll('","', '", "'));
    expect(ins.some((i) => i.keyword === 'RUN' && i.args.includes('npm run build'))).toBe(true);
  });

  it('when the build context is filtered by .dockerignore, then every file the Dockerfile copies is in it and local state is not', () => {
    const copied = parseDockerfile(dockerfile)
      .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(copied.length).toBeGreaterThan(5);
    for (const path of copied) expect(ignored(path), path).toBe(false);
    expect(ignored('src/main.ts')).toBe(false);
    for (const path of ['node_modules/fastify/package.json', 'dist/main.js', '.env', 'src/.env', '.floodgate/pgdata/PG_VERSION', '.git/HEAD', 'reports/x.html', 'test/e2e/purchase.test.ts', 'src/some.log']) {
      expect(ignored(path), path).toBe(true);
    }
  });
});

describe('the Dockerfile lint, on broken Dockerfiles', () => {
  it('when the base image is latest or has no tag, then DL3007 / DL3006 name the line', () => {
    expect(lintDockerfile('FROM node:latest\nUSER 1000\nCMD ["node"]')).toContainEqual(expect.objectContaining({ line: 1, rule: 'DL3007' }));
    expect(rulesOf('FROM node\nUSER 1000\nCMD ["node"]')).toContain('DL3006');
    expect(rulesOf('ARG IMG=node\nFROM ${IMG}\nUSER 1000\nCMD ["node"]')).toContain('DL3006');
    expect(rulesOf('FROM node:20-slim\nUSER 1000\nCMD ["node"]')).toContain('pinned-base');
  });

  it('when the final stage runs as root or sets no user, then DL3002', () => {
    expect(rulesOf(minimal('CMD ["node", "bin/floodgate.js"]'))).toContain('DL3002');
    expect(rulesOf(minimal('USER root\nCMD ["node", "bin/floodgate.js"]'))).toContain('DL3002');
    expect(rulesOf(minimal('USER node\nCMD ["node", "bin/floodgate.js"]'))).toContain('numeric-user');
    expect(rulesOf(minimal('USER 1000:1000\nCMD ["node", "bin/floodgate.js"]'))).toEqual([]);
  });

  it('when a URL is ADDed, npm install is used or a secret is baked in, then each is named', () => {
    const text = minimal('ADD https://example.com/x.tgz /tmp/\nRUN npm install\nENV FLOODGATE_SERVICE_KEY=abc DATABASE_URL=postgres://u:pw@db/x\nARG NPM_TOKEN=xyz\nUSER 1000\nCMD ["node"]');
    const findings = lintDockerfile(text);
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'DL3020', line: 8 }));
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'npm-ci', line: 9 }));
    expect(findings.filter((f) => f.rule === 'no-secrets').map((f) => f.message)).toEqual([
      expect.stringContaining('FLOODGATE_SERVICE_KEY'),
      expect.stringContaining('DATABASE_URL holds a URL with a password'),
      expect.stringContaining('NPM_TOKEN'),
    ]);
  });

  it('when the image has a HEALTHCHECK, a shell-form CMD, one stage or dev dependencies, then each is named', () => {
    expect(rulesOf(minimal('HEALTHCHECK CMD curl -f http://localhost:8080/healthz\nUSER 1000\nCMD ["node"]'))).toContain('no-healthcheck');
    expect(rulesOf(minimal('USER 1000\nCMD node bin/floodgate.js'))).toContain('DL3025');
    expect(rulesOf('FROM node:20.20.2-bookworm-slim\nRUN npm ci --omit=dev\nUSER 1000\nCMD ["node"]')).toContain('multi-stage');
    expect(rulesOf('FROM node:20.20.2-bookworm-slim AS b\nRUN npm ci\nFROM node:20.20.2-bookworm-slim\nCOPY --from=b /app/node_modules ./node_modules\nUSER 1000\nCMD ["node"]')).toContain('prod-deps');
  });

  it('when a RUN continues over lines, then the whole command is checked and reported at its first line', () => {
    const findings = lintDockerfile(minimal('RUN apt-get update && \\\n    # a comment inside\n    apt-get install -y curl\nUSER 1000\nCMD ["node"]'));
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'DL3015', line: 8 }));
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'DL3009', line: 8 }));
  });
});
