import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderKustomization } from './kustomize-render.js';
import { cidrsubnet, lintTerraform, parseTerraform } from './terraform-lint.js';

const dir = fileURLToPath(new URL('../../deploy/terraform/aws/', import.meta.url));
const files = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.tf')).map((f) => [f, readFileSync(`${dir}${f}`, 'utf8')]));
const terraform = (() => {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('deploy/terraform/aws (an example)', () => {
  it('when every file is parsed and linted, then nothing is found', async () => {
    expect(Object.keys(files).sort()).toEqual(['eks.tf', 'network.tf', 'outputs.tf', 'postgres.tf', 'rabbitmq.tf', 'redis.tf', 'variables.tf', 'versions.tf']);
    expect(await lintTerraform(files)).toEqual([]);
  });

  it('when read, then it says it is an example', () => {
    expect(files['versions.tf']).toMatch(/^# EXAMPLE ONLY/);
    expect(readFileSync(`${dir}README.md`, 'utf8')).toMatch(/^# Terraform example[\s\S]*\*\*An example, not a supported module\.\*\*/);
  });

  it.skipIf(!terraform)('when terraform is installed, then `terraform fmt -check` finds nothing to reformat', () => {
    // validate would need the AWS provider, which cannot be downloaded here; fmt needs none
    expect(() => execFileSync('terraform', ['fmt', '-check', '-recursive', dir], { stdio: 'pipe' })).not.toThrow();
  });

  it("when the data subnets are computed, then they lie inside the range the production overlay's NetworkPolicy opens", async () => {
    const { parsed } = await parseTerraform(files);
    const locals = (parsed['network.tf']!.locals as unknown as Array<Record<string, string>>)[0]!;
    const vpc = (parsed['variables.tf']!.variable as unknown as Record<string, Array<{ default: string }>>).vpc_cidr![0]!.default;
    const [, newbits, offset] = /cidrsubnet\(var\.vpc_cidr, (\d+), (\d+) \+ i\)/.exec(locals.data_subnets!) ?? [];
    const subnets = [0, 1, 2].map((i) => cidrsubnet(vpc, Number(newbits), Number(offset) + i));
    expect(subnets).toEqual(['10.40.16.0/22', '10.40.20.0/22', '10.40.24.0/22']);
    const production = renderKustomization(fileURLToPath(new URL('../../deploy/k8s/overlays/production', import.meta.url)));
    const policy = production.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'floodgate-datastores') as unknown as { spec: { egress: Array<{ to: Array<{ ipBlock: { cidr: string } }> }> } };
    expect(policy.spec.egress[0]!.to[0]!.ipBlock.cidr).toBe('10.40.16.0/20');
    for (const s of subnets) expect(cidrsubnet('10.40.16.0/20', Number(s.split('/')[1]) - 20, (Number(s.split('.')[2]) - 16) / 4)).toBe(s);
  });
});

describe('the Terraform lint, on broken files', () => {
  it('when a file does not parse, then hcl-syntax names the file and line', async () => {
    expect(await lintTerraform({ 'bad.tf': 'resource "aws_vpc" "x" {\n  cidr_block = \n' })).toEqual([{ file: 'bad.tf', rule: 'hcl-syntax', message: expect.stringContaining('bad.tf:2') }]);
  });

  it('when a provider is unpinned, a variable undocumented, a password written in or a reference undeclared, then each is named', async () => {
    const findings = await lintTerraform({
      'main.tf': `terraform {
  required_version = ">= 1.6.0"
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
variable "size" {}
resource "aws_mq_broker" "b" {
  publicly_accessible = false
  user {
    username = "floodgate"
    password = "hunter2hunter2"
  }
  subnet_ids = aws_subnet.data[*].id
}
`,
    });
    expect(findings).toEqual([
      { file: 'main.tf', rule: 'pinned-providers', message: 'provider aws has no version constraint' },
      { file: 'main.tf', rule: 'variables', message: 'variable size has no description' },
      { file: 'main.tf', rule: 'variables', message: 'variable size has no type' },
      { file: 'main.tf', rule: 'no-secrets', message: expect.stringContaining('aws_mq_broker.b: password is written in') },
      { file: 'main.tf', rule: 'references', message: 'aws_subnet.data is used but not declared' },
    ]);
  });

  it('when a database is public or unencrypted, then datastores names it', async () => {
    const findings = await lintTerraform({ 'db.tf': 'resource "aws_db_instance" "p" {\n  storage_encrypted = false\n  publicly_accessible = true\n  deletion_protection = true\n  multi_az = true\n}\n' });
    expect(findings.map((f) => f.message)).toEqual(['aws_db_instance.p: storage_encrypted is not true', 'aws_db_instance.p: publicly_accessible is not false']);
  });
});
