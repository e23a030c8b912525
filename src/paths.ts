import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root, found from this file whether it runs from src/ (jest) or dist/src/. */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRoot(__dirname);
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'migrations');
export const SCHEMA_FILE = path.join(REPO_ROOT, 'schema', 'schema.graphql');
/**
 * The built web pages (app/, built by `npm run build:web`, which `npm install` / `npm ci` run
 * through `prepare`): the caseworkers' client at /app/ and the auditor console at /audit/.
 */
export const WEB_DIR = path.join(REPO_ROOT, 'dist', 'web');
