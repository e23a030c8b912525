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
/** The auditor console's static files (plain HTML, CSS and JS: no build step), served at /audit/. */
export const CONSOLE_DIR = path.join(REPO_ROOT, 'src', 'console');
