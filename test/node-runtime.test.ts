import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runExamples } from './support/doc-examples';

/**
 * The hub supports two Node majors (package.json engines; README "Supported Node versions") and
 * CI proves each with a whole pass of the suites (.ci/run: Node 24 on the embedded PostgreSQL,
 * the machine's Node 20 on DATABASE_URL). A pass proves its Node only if every process the
 * suites start (hubs, the CLI, PostgreSQL helpers, docs examples, the bench) runs on that Node
 * too, not on whatever `node` the PATH finds first.
 */
const ROOT = path.resolve(__dirname, '..');
const major = Number(process.versions.node.split('.')[0]);

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'generated' ? [] : sourceFiles(rel);
    return /\.(ts|js|mjs)$/.test(e.name) ? [rel] : [];
  });
}

it('runs on a Node major that package.json engines names (and the one CI asked for)', () => {
  const engines = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
  const supported = [...engines.matchAll(/\^(\d+)\./g)].map((m) => Number(m[1]));
  expect(supported).toEqual([20, 24]);
  expect(supported).toContain(major);
  if (process.env.HUB_EXPECT_NODE_MAJOR) expect(major).toBe(Number(process.env.HUB_EXPECT_NODE_MAJOR));
});

it('starts every child Node process with process.execPath, never `node` from the PATH', () => {
  const byName = /\b(?:spawn|spawnSync|execFile|execFileSync|fork|exec|execSync)\(\s*['"`]node\b/;
  const offenders = ['src', 'test', 'bench', 'examples']
    .flatMap(sourceFiles)
    .filter((f) => byName.test(readFileSync(path.join(ROOT, f), 'utf8')));
  expect(offenders).toEqual([]);
});

it('gives the docs examples (bash) the Node running the suite as `node`', async () => {
  const [result] = await runExamples([{ line: 1, code: 'node -p process.version' }], {});
  expect(result).toMatchObject({ status: 0, output: process.version });
});
