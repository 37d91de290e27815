// The V8 flags every Floodgate server process starts with: `npm start`, `npm run cluster`'s children, the image's
// ENTRYPOINT and the benchmarks' shop (test/deploy/node-flags.test.ts holds package.json and the Dockerfile to this
// list). They must be on node's command line (or in NODE_OPTIONS): V8 sizes its heap before any script runs.
//
// --max-semi-space-size=32: a young generation of 2 × 32 MiB instead of 2 × 16 MiB. A request allocates tens of
// short-lived objects (promises, reply objects, parsed bodies); with the larger nursery V8 scavenges half as
// often, and each scavenge costs about what survives, not what died. Both shops up, alternating 6 × 4 s
// (BENCHMARKS.md 2026-12-01 07:10): add-to-cart −4.8 % CPU per request, a waiting-room poll −3 %. At most 32 MiB
// more memory, used only under load.
export const NODE_FLAGS = ['--max-semi-space-size=32'];
