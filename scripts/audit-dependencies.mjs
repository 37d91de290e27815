#!/usr/bin/env node
// Supply-chain gate for CI: `npm audit --omit=dev --audit-level=high` over the lockfile.
// - a high or critical advisory in a production dependency fails the build (exit 1), listed by package;
// - when the advisory service cannot be reached (offline runner, a registry mirror that refuses the POST
//   npm audit needs), that is NOT a pass: it prints a loud warning, and fails too when
//   FLOODGATE_AUDIT_REQUIRED=1 (set it on runners that have the public registry).
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
let report;
try {
  report = JSON.parse(run.stdout || '{}');
} catch {
  report = {};
}

const counts = report.metadata?.vulnerabilities;
if (counts) {
  const high = (counts.high ?? 0) + (counts.critical ?? 0);
  const summary = Object.entries(counts).filter(([k, v]) => k !== 'total' && v > 0).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
  if (high === 0) {
    console.log(`npm audit (production dependencies): no high or critical advisory (all: ${summary})`);
    process.exit(0);
  }
  console.error(`npm audit (production dependencies): ${high} high or critical advisories (all: ${summary})`);
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    if (v.severity !== 'high' && v.severity !== 'critical') continue;
    const fix = v.fixAvailable === true ? 'fix: npm audit fix' : v.fixAvailable ? `fix: ${v.fixAvailable.name}@${v.fixAvailable.version}` : 'no fix yet: override or replace it';
    console.error(`  ${v.severity.padEnd(8)} ${name} (${v.range}) ${fix}`);
  }
  process.exit(1);
}

const reason = report.message ?? report.error?.summary ?? (run.stderr.trim().split('\n').pop() || `npm audit exited ${run.status}`);
const line = `npm audit could not reach the advisory service: ${reason}`;
if (process.env.FLOODGATE_AUDIT_REQUIRED === '1') {
  console.error(`${line} (FLOODGATE_AUDIT_REQUIRED=1: failing)`);
  process.exit(1);
}
console.warn(`WARNING: ${line}\nWARNING: the supply-chain check did NOT run; set FLOODGATE_AUDIT_REQUIRED=1 on runners with registry access to make this fatal.`);
