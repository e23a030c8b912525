import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTranslator, LOCALES, mergeNamespaces, type Catalog, type Translator } from '../../i18n/translator';
import { badInput } from '../errors';
import { REPO_ROOT } from '../paths';

/**
 * The statement's words come from the same message files as the web pages (i18n/<locale>/
 * statement.json, plus section and sector names from common.json), through the same ICU
 * translator: a translator edits JSON files, never code. Planned languages (kk, ky, tg, uz)
 * show what they have and fall back as i18n/locales.json says (Russian, then English).
 * Read once per process.
 */
const I18N_DIR = path.join(REPO_ROOT, 'i18n');
let catalogs: Record<string, Catalog> | undefined;

function load(code: string, ns: 'common' | 'statement'): Catalog {
  return JSON.parse(readFileSync(path.join(I18N_DIR, code, `${ns}.json`), 'utf8')) as Catalog;
}

function allCatalogs(): Record<string, Catalog> {
  catalogs ??= Object.fromEntries(
    LOCALES.map((l) => [l.code, mergeNamespaces({ common: load(l.code, 'common'), statement: load(l.code, 'statement') })]),
  );
  return catalogs;
}

export const STATEMENT_LANGUAGES: readonly string[] = LOCALES.map((l) => l.code);

/** The language code asked for, if the hub has its files; anything else is BAD_USER_INPUT. */
export function statementLanguageOrThrow(requested: string | undefined | null): string {
  const code = (requested ?? 'en').trim().toLowerCase();
  if (!STATEMENT_LANGUAGES.includes(code))
    throw badInput(`language must be one of ${STATEMENT_LANGUAGES.join(', ')}`, { fields: ['language'] });
  return code;
}

export function statementTranslator(code: string): Translator {
  return createTranslator(code, allCatalogs());
}
