import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteDatabase } from './database.js';
import { copyTemplateIfEmpty } from './pglite-template.js';

/** every file under a directory with its size and modification time */
const snapshot = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile())
  .map((e) => { const path = join(e.parentPath, e.name); const st = statSync(path); return `${path.slice(dir.length)} ${st.size} ${st.mtimeMs}`; })
  .sort();

const root = mkdtempSync(join(tmpdir(), 'floodgate-pglite-template-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a first start from the build template (pglite-template.ts)', () => {
  it('when a data dir is empty, then it opens as a copy of the template; the template stays as it was', async () => {
    const template = join(root, 'template');
    const made = await createPgliteDatabase(template);
    await sql`create table marker (note text)`.execute(made.kysely);
    await sql`insert into marker values ('from the template')`.execute(made.kysely);
    await made.close();
    const before = snapshot(template);

    const dataDir = join(root, 'shop', 'pgdata');
    const db = await createPgliteDatabase(dataDir, undefined, { templateDir: template });
    const rows = await sql<{ note: string }>`select note from marker`.execute(db.kysely);
    expect(rows.rows).toEqual([{ note: 'from the template' }]);
    await sql`insert into marker values ('only in the copy')`.execute(db.kysely);
    await db.close();
    // no staging directory is left beside the data dir
    expect(readdirSync(join(root, 'shop'))).toEqual(['pgdata']);

    // the template's files are untouched by what the copy wrote
    expect(snapshot(template)).toEqual(before);
  }, 60_000);

  it('when the data dir holds anything, or the template is not a database, then nothing is copied', () => {
    const template = join(root, 'fake-template');
    mkdirSync(template, { recursive: true });
    writeFileSync(join(template, 'PG_VERSION'), '17\n');
    const used = join(root, 'used');
    mkdirSync(used, { recursive: true });
    writeFileSync(join(used, 'left-by-an-interrupted-initdb'), '');
    expect(copyTemplateIfEmpty(used, template)).toBe(false);
    expect(existsSync(join(used, 'PG_VERSION'))).toBe(false);
    expect(copyTemplateIfEmpty(join(root, 'fresh'), join(root, 'no-such-template'))).toBe(false);
    expect(copyTemplateIfEmpty(join(root, 'fresh'), undefined)).toBe(false);
    expect(copyTemplateIfEmpty(join(root, 'fresh'), template)).toBe(true);
    expect(existsSync(join(root, 'fresh', 'PG_VERSION'))).toBe(true);
  });
});
