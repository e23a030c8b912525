import 'reflect-metadata';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GOLDEN_DIR, goldenFiles } from './access-sql';

/**
 * `npm run sql:golden`: writes the golden SQL of the access layer (scripts/access-sql.ts) to
 * sql/access/, removing files no policy produces any more, and says what changed.
 */
function main(): void {
  const dir = path.join(__dirname, '..', GOLDEN_DIR);
  mkdirSync(dir, { recursive: true });
  const files = goldenFiles();
  const wanted = new Set(files.map((f) => f.name));
  const changed: string[] = [];
  for (const f of files) {
    const target = path.join(dir, f.name);
    let old: string | undefined;
    try {
      old = readFileSync(target, 'utf8');
    } catch {
      old = undefined;
    }
    if (old === f.text) continue;
    writeFileSync(target, f.text);
    changed.push(`${old === undefined ? 'added' : 'updated'} ${GOLDEN_DIR}/${f.name}`);
  }
  for (const name of readdirSync(dir)) {
    if (wanted.has(name)) continue;
    rmSync(path.join(dir, name));
    changed.push(`removed ${GOLDEN_DIR}/${name}`);
  }
  console.log(changed.length > 0 ? changed.join('\n') : `${GOLDEN_DIR}: up to date (${files.length} files)`);
}

main();
