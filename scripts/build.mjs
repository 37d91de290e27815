// `npm run build [-- --out-dir <dir>]`: compiles src/ to JavaScript (default dist/) for production.
// tsc emits only JavaScript; the SQL migrations and the web pages are copied beside it, so a build is
// complete on its own (it still needs node_modules, found by walking up from it as usual).
// The build starts from an empty directory (no file of a deleted source survives) and ends by writing
// BUILD_STAMP, which bin/floodgate.js compares with the sources to decide whether the build is current.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const outDir = resolve(values['out-dir']);
const root = resolve('.');
if (outDir === root || !outDir.startsWith(root + sep)) throw new Error(`--out-dir must be a folder inside ${root} (node_modules is found from there)`);

rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], { stdio: 'inherit' });
// test-only migrations stay out of a production build
cpSync('src', outDir, { recursive: true, filter: (src) => !src.endsWith('.ts') && !src.includes(`${sep}test-migrations`) });
if (existsSync('web')) cpSync('web', resolve(outDir, 'web'), { recursive: true });
writeFileSync(resolve(outDir, 'BUILD_STAMP'), `${new Date().toISOString()}\n`);
console.log(`built ${outDir}`);
