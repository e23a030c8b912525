import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * Flag parsing for the `hub` commands, on `node:util` parseArgs in strict mode: an unknown
 * flag, a flag without its value or a stray argument is a UsageError (exit 2, with the
 * command's usage), never silently ignored; `--help` (or `-h`) is a flag of every command.
 */
export class UsageError extends Error {}

/** Thrown for `--help`: the caller prints the usage on stdout and exits 0. */
export class HelpRequested extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs' messages name the option but explain at length how to pass a positional argument starting with a dash. */
function usageMessage(error: { code?: string; message: string }): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${option ?? error.message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/ambiguous/.test(error.message)) return `${option} needs a value (one starting with a dash is written ${option}=-VALUE)`;
      return /argument missing/.test(error.message) ? `${option} needs a value` : `${option} takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ''}`.trim();
    default:
      return error.message;
  }
}

/** `args` parsed against `options` (plus --help), at most `positionals` positional arguments. */
export function parseFlags<T extends Options>(args: string[], options: T, positionals = 0) {
  const config = { args, options, allowPositionals: positionals > 0, strict: true as const };
  let parsed: ReturnType<typeof parseArgs<typeof config>>;
  // --help anywhere wins; then the first unknown flag is named (strict parsing reports a stray
  // positional first, which hides a misspelt `--form x`).
  const { tokens } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: false, tokens: true });
  const flagsGiven = tokens.filter((t) => t.kind === 'option');
  if (flagsGiven.some((t) => t.name === 'help' || t.name === 'h')) throw new HelpRequested();
  const unknown = flagsGiven.find((t) => !(t.name in options));
  if (unknown) throw new UsageError(`unknown flag ${unknown.rawName}`);
  try {
    parsed = parseArgs(config);
  } catch (error) {
    throw new UsageError(usageMessage(error as { code?: string; message: string }));
  }
  if (parsed.positionals.length > positionals) throw new UsageError(`unexpected argument ${parsed.positionals[positionals]}`);
  return parsed;
}

/** One line of a command list: the synopsis, and what it does indented below it. */
export interface CommandHelp {
  synopsis: string;
  about: string;
}

export function commandList(commands: Record<string, CommandHelp>): string {
  return Object.values(commands)
    .map((c) => `  ${c.synopsis}\n      ${c.about}`)
    .join('\n');
}

export function commandUsage(prefix: string, c: CommandHelp): string {
  return `usage: ${prefix} ${c.synopsis}\n  ${c.about}`;
}

/** A whole number in [min, max] given as `--name value`, or the fallback when the flag is absent. */
export function intFlag(value: string | undefined, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      `--${name} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `between ${min} and ${max}`}, got "${value}"`,
    );
  }
  return n;
}
