import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * No import circles in the hub's code, type imports included (STYLE.md rule 12). ESLint's
 * import-x/no-cycle (eslint.config.mjs) catches runtime circles as you edit; it skips `import type`,
 * so this test walks the whole graph with TypeScript's own module resolution and lists every
 * strongly connected component, type edges and all.
 */
const root = path.join(__dirname, '..');
const options: ts.CompilerOptions = { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 };

/** Circles tolerated: none (kernel removed the last one, the unread @OneToMany collections on Returnee). */
const KNOWN_CIRCLES: readonly (readonly string[])[] = [];

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

/** file -> files it imports (relative to the repo), for the files under `dirs`. */
function importGraph(dirs: string[]): Map<string, string[]> {
  const files = dirs.flatMap(tsFiles);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const abs = path.join(root, file);
    const { importedFiles } = ts.preProcessFile(readFileSync(abs, 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => ts.resolveModuleName(i.fileName, abs, options, ts.sys).resolvedModule)
      .filter((m) => m && !m.isExternalLibraryImport && !m.resolvedFileName.includes('node_modules'))
      .map((m) => path.relative(root, m!.resolvedFileName));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components of more than one file (Tarjan), each sorted. */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) out.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

describe('import graph', () => {
  test('finds a circle, through type imports too (fixtures)', () => {
    expect(circles(importGraph(['test/fixtures/lint']))).toEqual([
      ['test/fixtures/lint/cycle-a.ts', 'test/fixtures/lint/cycle-b.ts'],
      ['test/fixtures/lint/type-cycle-a.ts', 'test/fixtures/lint/type-cycle-b.ts'],
    ]);
  });

  test('src/, policies/ and migrations/ have no circle but the known ones, type imports included', () => {
    const graph = importGraph(['src', 'policies', 'migrations']);
    expect(graph.size).toBeGreaterThan(150);
    const unknown = circles(graph).filter((c) => !KNOWN_CIRCLES.some((known) => c.every((f) => known.includes(f))));
    expect(unknown).toEqual([]);
  });
});
