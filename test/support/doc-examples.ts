import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs the shell examples of a markdown page as a reader would, one bash session per page,
 * and compares each one's output with the output block printed under it.
 *
 * Conventions of docs/*.md:
 * - a ```sh block is run; ```sh norun is not (it starts, installs or seeds something);
 * - a ```json block right under a ```sh block is its expected output, compared by shape:
 *   the same keys, arrays empty or not alike, null where null, and the same error codes;
 * - a ```text block right under a ```sh block is compared line by line, exactly.
 * `npx hub token <username>` is answered by the CLI's signing function (TOKEN_SHIM).
 */
export interface Example {
  line: number;
  code: string;
  expected?: { kind: 'json' | 'text'; body: string };
}

const FENCE = /^```([^\n`]*)\n([\s\S]*?)^```[ \t]*$/gm;

export function examplesOf(markdown: string): Example[] {
  const blocks: { info: string; body: string; start: number; end: number }[] = [];
  for (const m of markdown.matchAll(FENCE)) blocks.push({ info: m[1].trim(), body: m[2], start: m.index!, end: m.index! + m[0].length });
  const examples: Example[] = [];
  blocks.forEach((block, i) => {
    const [lang, ...flags] = block.info.split(/\s+/);
    if (lang !== 'sh' || flags.includes('norun')) return;
    const next = blocks[i + 1];
    const adjacent = next && markdown.slice(block.end, next.start).trim() === '';
    const nextLang = next?.info.split(/\s+/)[0];
    examples.push({
      line: markdown.slice(0, block.start).split('\n').length,
      code: block.body,
      expected: adjacent && (nextLang === 'json' || nextLang === 'text') ? { kind: nextLang, body: next.body } : undefined,
    });
  });
  return examples;
}

export interface ExampleResult {
  example: Example;
  status: number;
  output: string;
}

const ROOT = path.resolve(__dirname, '../..');

/**
 * `npx hub token <username>` in the examples, answered by the CLI's own signing function with
 * HUB_JWT_SECRET from the environment (the whole CLI would also open the database: slow).
 */
const TOKEN_SHIM = `npx() {
  if [ "$1" = hub ] && [ "$2" = token ] && [ -n "\${3:-}" ]; then
    ${JSON.stringify(process.execPath)} -r ${JSON.stringify(path.join(ROOT, 'test/support/ts-register.js'))} \\
      -e 'require(process.argv[1]).signToken(process.env.HUB_JWT_SECRET, process.argv[2]).then((t) => console.log(t))' \\
      ${JSON.stringify(path.join(ROOT, 'src/auth/token.ts'))} "$3"
  else echo "docs test: only npx hub token <username> is available" >&2; return 127; fi
}`;

/** All examples of one page in one bash (in the repository root), so variables set by one are there for the next. */
export async function runExamples(examples: Example[], env: Record<string, string>): Promise<ExampleResult[]> {
  const script = [
    TOKEN_SHIM,
    ...examples.map((e, i) => `printf '\\n@@start ${i}@@\\n'\n${e.code}\nprintf '\\n@@end ${i} %s@@\\n' "$?"`),
  ].join('\n');
  // From a file, not stdin: a command in an example that reads stdin must not eat the script.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hub-docs-'));
  const file = path.join(dir, 'examples.sh');
  await writeFile(file, script);
  const output = await new Promise<string>((resolve, reject) => {
    // `node` in an example is the Node running the suite (CI runs it on Node 24 and on Node 20).
    const PATH = [path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter);
    const child = spawn('bash', ['-u', file], {
      cwd: ROOT,
      env: { PATH, HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', () => resolve(out + (err ? `\n@@stderr@@\n${err}` : '')));
  }).finally(() => rm(dir, { recursive: true, force: true }));
  return examples.map((example, i) => {
    const match = new RegExp(`@@start ${i}@@\\n([\\s\\S]*?)\\n@@end ${i} (\\d+)@@`).exec(output);
    if (!match) return { example, status: -1, output };
    return { example, status: Number(match[2]), output: match[1].trim() };
  });
}

/** Differences between what a page shows and what the hub answered; empty when they agree. */
export function shapeDifferences(expected: unknown, actual: unknown, path = '$'): string[] {
  if (expected === null || actual === null) {
    return expected === actual ? [] : [`${path}: the page shows ${JSON.stringify(expected)}, the hub answered ${JSON.stringify(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: the page shows a list, the hub answered ${typeof actual}`];
    if ((expected.length === 0) !== (actual.length === 0))
      return [`${path}: the page shows ${expected.length} items, the hub answered ${actual.length}`];
    return expected.length ? shapeDifferences(expected[0], actual[0], `${path}[0]`) : [];
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || Array.isArray(actual))
      return [`${path}: the page shows an object, the hub answered ${JSON.stringify(actual)}`];
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const keys = (o: object) => Object.keys(o).sort().join(',');
    if (keys(e) !== keys(a)) return [`${path}: the page shows keys ${keys(e)}, the hub answered ${keys(a)}`];
    // Error codes are the contract: they must be the ones the page shows.
    if (path.endsWith('.extensions') && e.code !== a.code)
      return [`${path}.code: the page shows ${String(e.code)}, the hub answered ${String(a.code)}`];
    return Object.keys(e).flatMap((k) => shapeDifferences(e[k], a[k], `${path}.${k}`));
  }
  return typeof expected === typeof actual
    ? []
    : [`${path}: the page shows a ${typeof expected}, the hub answered ${JSON.stringify(actual)}`];
}

/** What is wrong with one example's run, or an empty list. */
export function problemsOf(result: ExampleResult): string[] {
  const where = `example at line ${result.example.line}`;
  if (result.status !== 0) return [`${where} exited ${result.status}: ${result.output.slice(-2000)}`];
  const expected = result.example.expected;
  if (!expected) return [];
  if (expected.kind === 'text') {
    return expected.body.trim() === result.output ? [] : [`${where} printed:\n${result.output}\nthe page shows:\n${expected.body.trim()}`];
  }
  let actual: unknown;
  try {
    actual = JSON.parse(result.output);
  } catch {
    return [`${where} did not print JSON: ${result.output.slice(0, 2000)}`];
  }
  return shapeDifferences(JSON.parse(expected.body), actual).map((d) => `${where}: ${d}`);
}
