// A repository with several root modules, as teams lay them out: envs/prod and envs/staging, each
// with its own state, both calling the shared ./modules/network folder (which has a terraform block
// of its own but is a module, not a root). The sandbox scenario gets staging's VPC.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Scenario } from '../../sandbox/src/index';

export const ACCOUNT = '123456789012';
/** The demo scenario's VPC (prod) and one added for staging. */
export const VPC = { prod: 'vpc-0a1b2c3d4e5f60718', staging: 'vpc-05a0b0c0d0e0f0a51' };
const CIDR = { prod: '10.0.0.0/16', staging: '10.50.0.0/16' };
const TAGS = {
  prod: { Name: 'tidemark-demo', Env: 'prod', Team: 'platform', Project: 'tidemark-demo', ManagedBy: 'terraform' },
  staging: { Name: 'tidemark-staging', Env: 'staging' },
};

export function addStagingVpc(s: Scenario): void {
  s.vpcs = [...(s.vpcs ?? []), { id: VPC.staging, cidrBlock: CIDR.staging, enableDnsSupport: true, enableDnsHostnames: true, tags: TAGS.staging }];
}

/** With `moduleVpc`: the shared module declares `aws_vpc.this`, one per root (`module.network.aws_vpc.this`). */
export const MODULE_VPC = { prod: 'vpc-0c1c2c3c4c5c6c7c8', staging: 'vpc-0d1d2d3d4d5d6d7d8' };
const MODULE_CIDR = { prod: '10.60.0.0/16', staging: '10.61.0.0/16' };

export function addModuleVpcs(s: Scenario): void {
  s.vpcs = [...(s.vpcs ?? []), ...(['prod', 'staging'] as const).map((env) => ({ id: MODULE_VPC[env], cidrBlock: MODULE_CIDR[env], enableDnsSupport: true, enableDnsHostnames: false, tags: { Name: `net-${env}` } }))];
}

function rootHcl(env: 'prod' | 'staging', moduleVpc: boolean): string {
  const tags = Object.entries(TAGS[env]).map(([k, v]) => `    ${k} = "${v}"`).join('\n');
  return `terraform {\n  required_version = ">= 1.5.0"\n}\n\nprovider "aws" {\n  region = "us-east-1"\n}\n\nresource "aws_vpc" "main" {\n  cidr_block           = "${CIDR[env]}"\n  enable_dns_support   = true\n  enable_dns_hostnames = true\n  tags = {\n${tags}\n  }\n}\n\nmodule "network" {\n  source = "../../modules/network"\n  name   = "${env}"\n${moduleVpc ? `  cidr   = "${MODULE_CIDR[env]}"\n` : ''}}\n`;
}

function stateOf(env: 'prod' | 'staging', moduleVpc: boolean): string {
  const id = VPC[env];
  const mid = MODULE_VPC[env];
  const inModule = moduleVpc ? [{
    module: 'module.network', mode: 'managed', type: 'aws_vpc', name: 'this', provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [{ schema_version: 1, attributes: { arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${mid}`, id: mid, cidr_block: MODULE_CIDR[env], enable_dns_support: true, enable_dns_hostnames: false, instance_tenancy: 'default', owner_id: ACCOUNT, tags: { Name: `net-${env}` }, tags_all: { Name: `net-${env}` } } }],
  }] : [];
  return JSON.stringify({
    version: 4, terraform_version: '1.7.5', serial: 1, lineage: `roots-${env}`, outputs: {},
    resources: [{
      mode: 'managed', type: 'aws_vpc', name: 'main', provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 1, attributes: { arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${id}`, id, cidr_block: CIDR[env], enable_dns_support: true, enable_dns_hostnames: true, instance_tenancy: 'default', owner_id: ACCOUNT, tags: TAGS[env], tags_all: TAGS[env] } }],
    }, ...inModule],
  }, null, 2);
}

/** Writes the repository into a new temporary folder and returns it. */
export function rootsWorkspace(options: { moduleVpc?: boolean } = {}): string {
  const moduleVpc = options.moduleVpc ?? false;
  const dir = mkdtempSync(path.join(tmpdir(), 'tidemark-roots-'));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  const vpc = moduleVpc ? '\nvariable "cidr" {\n  type = string\n}\n\nresource "aws_vpc" "this" {\n  cidr_block = var.cidr\n  tags = {\n    Name = "net-${var.name}"\n  }\n}\n' : '';
  write('modules/network/main.tf', `terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws" }\n  }\n}\n\nvariable "name" {\n  type = string\n}\n\noutput "name" {\n  value = var.name\n}\n${vpc}`);
  for (const env of ['prod', 'staging'] as const) {
    write(`envs/${env}/main.tf`, rootHcl(env, moduleVpc));
    write(`envs/${env}/terraform.tfstate`, stateOf(env, moduleVpc));
  }
  return dir;
}
