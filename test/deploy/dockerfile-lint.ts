/**
 * The Dockerfile rules that matter for deploy/Dockerfile, checked without Docker or hadolint (neither runs
 * here): the hadolint rules named in brackets, plus this project's own (no HEALTHCHECK: the orchestrator
 * probes; production dependencies only in the final stage). Each finding names its line and rule.
 */

export interface Instruction {
  line: number;
  keyword: string;
  /** the arguments, continuation lines joined */
  args: string;
}

export interface Finding {
  line: number;
  rule: string;
  message: string;
}

/** instructions in order; comments, blank lines and `\` continuations handled as Docker does */
export function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (/^\s*(#.*)?$/.test(raw)) continue;
    const start = i + 1;
    let joined = raw;
    let continues = /\\\s*$/.test(joined);
    while (continues && i + 1 < lines.length) {
      joined = joined.replace(/\\\s*$/, ' ');
      i++;
      // a comment line inside a continuation is dropped, as Docker does, and the command goes on
      if (/^\s*#/.test(lines[i]!)) continue;
      joined += lines[i]!;
      continues = /\\\s*$/.test(joined);
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(joined);
    if (match) out.push({ line: start, keyword: match[1]!.toUpperCase(), args: match[2]!.trim() });
  }
  return out;
}

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|SERVICE_KEY|ENCRYPTION_KEY|CREDENTIALS?)/i;
const URL_WITH_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/** `ENV A=1 B="x y"` or the old `ENV A 1` form → [name, value] pairs */
function envPairs(args: string): Array<[string, string]> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
    const [name, ...rest] = args.split(/\s+/);
    return [[name ?? '', rest.join(' ')]];
  }
  return [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))/g)].map((m) => [m[1]!, m[3] ?? m[4] ?? m[5] ?? '']);
}

export function lintDockerfile(text: string): Finding[] {
  const instructions = parseDockerfile(text);
  const findings: Finding[] = [];
  const add = (line: number, rule: string, message: string) => findings.push({ line, rule, message });
  const globalArgs = new Map<string, string>();
  const stages: Array<{ from: Instruction; name?: string; body: Instruction[] }> = [];

  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const [, image = '', , name] = /^(?:--platform=\S+\s+)?(\S+)(\s+AS\s+(\S+))?/i.exec(ins.args) ?? [];
      stages.push({ from: ins, ...(name ? { name } : {}), body: [] });
      const resolved = image.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, v: string) => globalArgs.get(v) ?? '');
      const earlier = stages.slice(0, -1).some((s) => s.name === resolved);
      if (!earlier && resolved !== 'scratch') {
        const [, tag] = /^[^@]+?(?::([^/:@]+))?(@sha256:[0-9a-f]{64})?$/.exec(resolved) ?? [];
        const digest = resolved.includes('@sha256:');
        if (!tag && !digest) add(ins.line, 'DL3006', `FROM ${image}: the base image has no tag (resolved: "${resolved}"); pin one`);
        else if (tag === 'latest') add(ins.line, 'DL3007', `FROM ${image}: "latest" moves under you; pin a version`);
        else if (tag && !digest && !/\d+\.\d+\.\d+/.test(tag)) add(ins.line, 'pinned-base', `FROM ${image}: tag "${tag}" is not a full version (x.y.z)`);
      }
      continue;
    }
    if (ins.keyword === 'ARG' && stages.length === 0) {
      const [name, value = ''] = ins.args.split('=');
      globalArgs.set(name!.trim(), value.trim());
    }
    if (stages.length === 0 && ins.keyword !== 'ARG') add(ins.line, 'DL3061', `${ins.keyword} before the first FROM`);
    stages.at(-1)?.body.push(ins);
  }
  if (stages.length === 0) return [{ line: 1, rule: 'no-from', message: 'no FROM instruction' }];

  for (const stage of stages) {
    for (const ins of stage.body) {
      const cmd = ins.args;
      if (ins.keyword === 'ADD') {
        if (/(^|\s)(https?|git):\/\//.test(cmd)) add(ins.line, 'DL3020', 'ADD of a URL: download in a RUN step with a checksum, or COPY a vetted file');
        else add(ins.line, 'DL3020', 'ADD for local files: use COPY (ADD also unpacks archives and fetches URLs)');
      }
      if (ins.keyword === 'WORKDIR' && !/^(\/|\$)/.test(cmd)) add(ins.line, 'DL3000', `WORKDIR ${cmd}: use an absolute path`);
      if (ins.keyword === 'RUN') {
        if (/(^|[;&|]\s*)npm\s+(install|i)(\s|$)/.test(cmd)) add(ins.line, 'npm-ci', 'npm install in an image: use npm ci (the lockfile, exactly)');
        if (/(^|[;&|]\s*)sudo\s/.test(cmd)) add(ins.line, 'DL3004', 'sudo in RUN: the build already runs as the stage user');
        if (/curl[^|;&]*\|\s*(ba)?sh/.test(cmd) || /wget[^|;&]*\|\s*(ba)?sh/.test(cmd)) add(ins.line, 'pipe-to-shell', 'a download piped into a shell: fetch, verify a checksum, then run');
        if (/apt-get\s+install/.test(cmd) && !/--no-install-recommends/.test(cmd)) add(ins.line, 'DL3015', 'apt-get install without --no-install-recommends');
        if (/apt-get\s+install/.test(cmd) && !/rm -rf \/var\/lib\/apt\/lists/.test(cmd)) add(ins.line, 'DL3009', 'apt-get lists left in the layer: rm -rf /var/lib/apt/lists/* in the same RUN');
        if (/(^|\s)cd\s/.test(cmd)) add(ins.line, 'DL3003', 'cd in RUN: use WORKDIR');
      }
      if (ins.keyword === 'ENV' || ins.keyword === 'ARG') {
        const pairs = ins.keyword === 'ENV' ? envPairs(cmd) : [cmd.split('=') as [string, string?]].map(([n, v]) => [n, v ?? ''] as [string, string]);
        for (const [name, value] of pairs) {
          if (SECRET_NAME.test(name) && value !== '') add(ins.line, 'no-secrets', `${ins.keyword} ${name} has a value in the image: secrets come from the orchestrator at run time`);
          if (URL_WITH_CREDENTIALS.test(value)) add(ins.line, 'no-secrets', `${ins.keyword} ${name} holds a URL with a password`);
        }
      }
      if (ins.keyword === 'HEALTHCHECK') add(ins.line, 'no-healthcheck', 'HEALTHCHECK in the image: the orchestrator probes /healthz and /readyz (deploy/k8s)');
      if ((ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') && !cmd.startsWith('[')) add(ins.line, 'DL3025', `${ins.keyword} in shell form: use the JSON form so the process gets the signals itself`);
      if (ins.keyword === 'EXPOSE') for (const port of cmd.split(/\s+/)) if (!/^\d{1,5}(\/(tcp|udp))?$/.test(port) || Number.parseInt(port, 10) > 65535) add(ins.line, 'DL3011', `EXPOSE ${port}: not a port`);
    }
  }

  const final = stages.at(-1)!;
  const users = final.body.filter((i) => i.keyword === 'USER');
  const lastUser = users.at(-1);
  if (!lastUser) add(final.from.line, 'DL3002', 'the final stage sets no USER: the process would run as root');
  else if (/^(root|0)(:|$)/.test(lastUser.args)) add(lastUser.line, 'DL3002', `USER ${lastUser.args}: the process must not run as root`);
  else if (!/^\d+(:\d+)?$/.test(lastUser.args)) add(lastUser.line, 'numeric-user', `USER ${lastUser.args}: use a numeric uid so Kubernetes can check runAsNonRoot`);
  if (!final.body.some((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD')) add(final.from.line, 'entrypoint', 'the final stage has no ENTRYPOINT or CMD');
  if (stages.length < 2) add(final.from.line, 'multi-stage', 'one stage: the build tools and dev dependencies would ship in the image');
  // dev dependencies never reach the final stage: it installs with --omit=dev, or copies node_modules from a stage that did
  const prodInstall = (s: (typeof stages)[number]) => s.body.some((i) => i.keyword === 'RUN' && /npm\s+ci\b[^;&|]*--omit=dev/.test(i.args));
  const finalModules = final.body.find((i) => i.keyword === 'COPY' && /node_modules/.test(i.args));
  const fromStage = finalModules && /--from=(\S+)/.exec(finalModules.args)?.[1];
  const source = fromStage ? stages.find((s) => s.name === fromStage) : undefined;
  if (!prodInstall(final) && !(source && prodInstall(source))) add(final.from.line, 'prod-deps', 'the final stage\'s node_modules does not come from `npm ci --omit=dev`');
  if (final.body.some((i) => i.keyword === 'RUN' && /npm\s+run\s+build/.test(i.args))) add(final.from.line, 'prod-deps', 'the final stage builds: build in an earlier stage and copy dist/');
  return findings;
}
