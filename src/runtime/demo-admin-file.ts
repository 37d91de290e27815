import { join } from 'node:path';

/** Where the demo admin's generated password is kept (owner-only: 0600); the banner points here instead of printing it. */
export const demoAdminFile = (dataDir: string) => join(dataDir, 'demo-admin.json');
