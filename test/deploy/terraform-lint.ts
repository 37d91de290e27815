import { parse } from '@cdktf/hcl2json';

/**
 * What the test suite can check of deploy/terraform without the providers (`terraform validate` needs them and
 * this machine cannot download them): every file parses as HCL (HashiCorp's own parser, compiled to WASM in
 * @cdktf/hcl2json), providers are pinned, variables are documented and typed, no secret is written in, the
 * datastores are encrypted and private, and every reference names something declared.
 */
export interface TerraformFinding {
  file: string;
  rule: string;
  message: string;
}

type Block = Record<string, unknown>;
type Parsed = Record<string, Record<string, unknown>>;

const asBlocks = (v: unknown) => (Array.isArray(v) ? (v as Block[]) : []);
const SECRET_ATTRIBUTE = /(^|_)(password|auth_token|secret|token|private_key)$/;

export async function parseTerraform(files: Record<string, string>): Promise<{ parsed: Record<string, Parsed>; findings: TerraformFinding[] }> {
  const parsed: Record<string, Parsed> = {};
  const findings: TerraformFinding[] = [];
  for (const [file, text] of Object.entries(files)) {
    try {
      parsed[file] = (await parse(file, text)) as Parsed;
    } catch (err) {
      findings.push({ file, rule: 'hcl-syntax', message: String((err as Error).message ?? err) });
    }
  }
  return { parsed, findings };
}

function walk(value: unknown, visit: (key: string, value: unknown) => void, key = ''): void {
  if (Array.isArray(value)) for (const v of value) walk(v, visit, key);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, visit, k);
  else visit(key, value);
}

export async function lintTerraform(files: Record<string, string>): Promise<TerraformFinding[]> {
  const { parsed, findings } = await parseTerraform(files);
  const add = (file: string, rule: string, message: string) => findings.push({ file, rule, message });

  const declared = new Set<string>();
  for (const doc of Object.values(parsed)) {
    for (const name of Object.keys(doc.variable ?? {})) declared.add(`var.${name}`);
    for (const locals of asBlocks(doc.locals)) for (const name of Object.keys(locals)) declared.add(`local.${name}`);
    for (const [type, byName] of Object.entries(doc.resource ?? {})) for (const name of Object.keys(byName as object)) declared.add(`${type}.${name}`);
    for (const [type, byName] of Object.entries(doc.data ?? {})) for (const name of Object.keys(byName as object)) declared.add(`data.${type}.${name}`);
  }

  for (const [file, doc] of Object.entries(parsed)) {
    for (const terraform of asBlocks(doc.terraform)) {
      for (const providers of asBlocks(terraform.required_providers)) {
        for (const [name, spec] of Object.entries(providers)) {
          const version = (spec as { version?: string }).version;
          if (!version) add(file, 'pinned-providers', `provider ${name} has no version constraint`);
        }
      }
      if (!terraform.required_version) add(file, 'pinned-providers', 'terraform has no required_version');
    }
    for (const [name, blocks] of Object.entries(doc.variable ?? {})) {
      const v = asBlocks(blocks)[0] ?? {};
      if (!v.description) add(file, 'variables', `variable ${name} has no description`);
      if (!v.type) add(file, 'variables', `variable ${name} has no type`);
      if (SECRET_ATTRIBUTE.test(name) && v.default !== undefined) add(file, 'no-secrets', `variable ${name} has a default: a secret never has one`);
    }
    for (const [type, byName] of Object.entries(doc.resource ?? {})) {
      for (const [name, blocks] of Object.entries(byName as Record<string, unknown>)) {
        const r = asBlocks(blocks)[0] ?? {};
        const id = `${type}.${name}`;
        walk(r, (key, value) => {
          if (SECRET_ATTRIBUTE.test(key) && typeof value === 'string' && !value.startsWith('${')) add(file, 'no-secrets', `${id}: ${key} is written in; generate it (random_password, manage_master_user_password) or pass it in`);
        });
        if (type === 'aws_db_instance') {
          if (r.storage_encrypted !== true) add(file, 'datastores', `${id}: storage_encrypted is not true`);
          if (r.publicly_accessible !== false) add(file, 'datastores', `${id}: publicly_accessible is not false`);
          if (!r.replicate_source_db && r.deletion_protection !== true) add(file, 'datastores', `${id}: deletion_protection is not true`);
          if (!r.replicate_source_db && r.multi_az !== true) add(file, 'datastores', `${id}: the primary is not multi_az`);
        }
        if (type === 'aws_elasticache_replication_group') {
          for (const field of ['at_rest_encryption_enabled', 'transit_encryption_enabled', 'automatic_failover_enabled']) if (r[field] !== true) add(file, 'datastores', `${id}: ${field} is not true`);
        }
        if (type === 'aws_mq_broker' && r.publicly_accessible !== false) add(file, 'datastores', `${id}: publicly_accessible is not false`);
      }
    }
    walk(doc, (_, value) => {
      if (typeof value !== 'string') return;
      for (const [, ref] of value.matchAll(/(?<![\w.])((?:var|local)\.[a-z0-9_]+|data\.[a-z0-9_]+\.[a-z0-9_]+|(?:aws|random)_[a-z0-9_]+\.[a-z0-9_]+)/g)) {
        if (!declared.has(ref!)) add(file, 'references', `${ref} is used but not declared`);
      }
    });
  }
  return findings;
}

/** Terraform's cidrsubnet() for IPv4 */
export function cidrsubnet(prefix: string, newbits: number, netnum: number): string {
  const [base, bits] = prefix.split('/') as [string, string];
  const value = base.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const length = Number(bits) + newbits;
  const start = value + netnum * 2 ** (32 - length);
  return `${[24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256).join('.')}/${length}`;
}
