#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npm start` needs no build step.
import { register } from 'tsx/esm/api';

register();
// tracing must start before main.ts loads fastify and pg; it does nothing unless OTEL_* asks for it
await import('../src/platform/telemetry/preload.ts');
await import('../src/main.ts');
