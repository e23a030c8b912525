import { decodeJwt } from 'jose';
import { runCli } from '../src/cli/run';
import { HelpRequested, UsageError } from '../src/cli/flags';
import { parseOptions } from '../bench/api/options';
import { TEST_JWT_SECRET } from './support/hub';

/**
 * The `hub` commands' flags (node:util parseArgs, strict): a misspelt or unknown flag, a flag
 * without its value and a stray argument are refused with exit code 2, the offending flag named
 * and the command's usage shown, before anything is opened or written; `--help` on any command
 * prints its usage and exits 0. In-process: the same code as the binary.
 */
async function hub(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, { NODE_ENV: 'test', HUB_JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' });
  const out: string[] = [];
  const err: string[] = [];
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((c) => out.push(String(c)) > 0);
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((c) => err.push(String(c)) > 0);
  try {
    return { code: await runCli(args), out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.env = saved;
  }
}

it.each([
  [['token', 'admin', '--tll', '60'], 'hub token: unknown flag --tll', 'usage: hub token <username> [--ttl SECONDS]'],
  [['token', 'admin', '--ttl'], 'hub token: --ttl needs a value', 'usage: hub token'],
  [['token', 'admin', '--ttl', 'soon'], 'hub token: --ttl must be a whole number of at least 1, got "soon"', 'usage: hub token'],
  [['token', 'admin', 'kz-health-caseworker'], 'hub token: unexpected argument kz-health-caseworker', 'usage: hub token'],
  [['token'], 'hub token: which staff member?', 'usage: hub token'],
  [['seed', '--returnes', '20'], 'hub seed: unknown flag --returnes', 'usage: hub seed [--returnees N] [--seed S]'],
  [
    ['seed', '--returnees', '-5'],
    'hub seed: --returnees needs a value (one starting with a dash is written --returnees=-VALUE)',
    'usage: hub seed',
  ],
  [['seed', '--returnees=-5'], 'hub seed: --returnees must be a whole number between 0 and 1000000, got "-5"', 'usage: hub seed'],
  [['schema', '--chek'], 'hub schema: unknown flag --chek', 'usage: hub schema [--check]'],
  [['migrate', '--force'], 'hub migrate: unknown flag --force', 'usage: hub migrate'],
  [['migration:create', '--initial=yes'], 'hub migration:create: --initial takes no value', 'usage: hub migration:create [--initial]'],
  [['audit', 'verify', '--publickey', 'k.pem'], 'hub audit verify: unknown flag --publickey', 'usage: hub audit verify'],
  [
    ['audit', 'export', '--form', '2020-01-01', '--to', '2030-01-01'],
    'hub audit export: unknown flag --form',
    'usage: hub audit export --from ISO --to ISO',
  ],
  [['audit', 'seal', 'now'], 'hub audit seal: unexpected argument now', 'usage: hub audit seal'],
  [['audit', 'public-key', '--json'], 'hub audit public-key: unknown flag --json', 'usage: hub audit public-key'],
])('hub %j exits 2 naming what is wrong, with the usage', async (args, message, usage) => {
  const r = await hub(...args);
  expect(r).toEqual({ code: 2, out: '', err: expect.stringContaining(message) });
  expect(r.err).toContain(usage);
});

it('refuses an unknown command with exit code 2 and the list of commands', async () => {
  const r = await hub('sede');
  expect(r).toEqual({ code: 2, out: '', err: expect.stringContaining('hub: unknown command sede') });
  for (const command of ['serve', 'migrate', 'seed', 'token', 'schema', 'audit']) expect(r.err).toContain(`\n  ${command}`);
});

it.each([
  [['--help'], 'usage: hub <command> [flags]'],
  [['help'], 'usage: hub <command> [flags]'],
  [['token', '--help'], 'usage: hub token <username> [--ttl SECONDS]'],
  [['seed', 'h', '-h'], 'usage: hub seed [--returnees N] [--seed S]'],
  [['audit', '--help'], 'usage: hub audit <command> [flags]'],
  [
    ['audit', 'verify', '--help'],
    'usage: hub audit verify [--checkpoint FILE]... [--public-key FILE]... [--no-external] [--grace SECONDS] [--json]',
  ],
  [['serve', '--help'], 'usage: hub serve'],
])('hub %j prints the usage on stdout and exits 0 without doing anything', async (args, usage) => {
  expect(await hub(...args)).toEqual({ code: 0, out: expect.stringContaining(usage), err: '' });
});

it('takes the flags it knows, in either spelling (--ttl 60, --ttl=60)', async () => {
  for (const args of [['--ttl', '60'], ['--ttl=60']]) {
    const r = await hub('token', 'admin', ...args);
    expect(r.code).toBe(0);
    const claims = decodeJwt(r.out.trim());
    expect({ sub: claims.sub, ttl: claims.exp! - claims.iat! }).toEqual({ sub: 'admin', ttl: 60 });
  }
});

describe('npm run bench -- flags', () => {
  it('refuses unknown flags and bad values, and answers --help', () => {
    expect(() => parseOptions(['--round', '2'], '/tmp')).toThrow(new UsageError('unknown flag --round'));
    expect(() => parseOptions(['--rounds', 'many'], '/tmp')).toThrow(UsageError);
    expect(() => parseOptions(['--contenders', 'hub,hasura'], '/tmp')).toThrow(
      /--contenders takes some of hub, hubAuditOff, raw, postgraphile/,
    );
    expect(() => parseOptions(['--help'], '/tmp')).toThrow(HelpRequested);
    expect(parseOptions(['--rounds=2', '--contenders', 'raw,hub', '--out', 'x.json'], '/tmp')).toMatchObject({
      rounds: 2,
      contenders: ['hub', 'raw'],
      out: '/tmp/x.json',
      returnees: 10_000,
    });
  });
});
