// tsc compiles TypeScript only; the SQL migrations and the web pages ship beside the compiled code.
import { cpSync, existsSync } from 'node:fs';

cpSync('src', 'dist', { recursive: true, filter: (src) => !src.endsWith('.ts') });
if (existsSync('web')) cpSync('web', 'dist/web', { recursive: true });
