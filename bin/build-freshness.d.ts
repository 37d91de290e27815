export function newestSourceMtimeMs(dir: string): number;
export function buildIsCurrent(root: string, buildDir: string): boolean;
