import { IntlMessageFormat } from 'intl-messageformat';
import localeList from './locales.json';

/**
 * The hub's one i18n runtime, shared by the web pages (/app/, /audit/) and, later, the server
 * (the person's disclosure statement): ICU MessageFormat messages (intl-messageformat, FormatJS)
 * in flat JSON files, one folder per locale and one file per namespace: i18n/<locale>/<ns>.json.
 * Plural and date rules come from the platform's Intl (CLDR), so Kazakh, Kyrgyz, Tajik and Uzbek
 * need only their message files. No DOM and no Node API here: it runs in both.
 */
export type Catalog = Readonly<Record<string, string>>;
export type Values = Record<string, string | number | boolean | Date | null | undefined>;

export const NAMESPACES = ['common', 'app', 'audit', 'statement'] as const;
export type Namespace = (typeof NAMESPACES)[number];

export interface LocaleInfo {
  /** BCP 47 tag, also the folder name. */
  code: string;
  /** The language's own name, as its speakers write it (shown in the language menu). */
  name: string;
  /** The script its messages are written in; names of people may be in any script. */
  script: 'Cyrl' | 'Latn';
  /** complete: every key translated (a test checks); planned: files in place, falls back. */
  status: 'complete' | 'planned';
  /** Locales tried, in order, for a key this one lacks. */
  fallback: string[];
}

export const LOCALES: readonly LocaleInfo[] = localeList as LocaleInfo[];
export const DEFAULT_LOCALE = 'en';

export function localeInfo(code: string): LocaleInfo {
  return LOCALES.find((l) => l.code === code) ?? LOCALES.find((l) => l.code === DEFAULT_LOCALE)!;
}

/** The locale to use for a list of preferences (navigator.languages, Accept-Language): complete ones only. */
export function negotiateLocale(preferred: readonly string[], allowPlanned = false): string {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    const hit = LOCALES.find((l) => l.code === base && (allowPlanned || l.status === 'complete'));
    if (hit) return hit.code;
  }
  return DEFAULT_LOCALE;
}

export interface MissingKey {
  key: string;
  locale: string;
  /** The locale whose message was shown instead, or null when no catalog had the key. */
  shownFrom: string | null;
}

export interface Translator {
  readonly locale: string;
  t(key: string, values?: Values): string;
  has(key: string): boolean;
  /** A calendar date (`YYYY-MM-DD`, no time zone) in the locale's words. */
  date(localDate: string | null | undefined): string;
  /** An instant in the reader's time zone. */
  dateTime(iso: string | null | undefined): string;
  number(n: number): string;
  /** "a, b and c" in the locale's words. */
  list(items: string[]): string;
}

/**
 * A translator for `locale` over its catalogs and its fallbacks' (`byLocale[code]` merges the
 * namespaces of one locale). A key found only in a fallback, or nowhere, is reported to
 * `onMissing` and shown from the fallback (or as the key itself): never silently.
 */
export function createTranslator(locale: string, byLocale: Record<string, Catalog>, onMissing?: (m: MissingKey) => void): Translator {
  const chain = [locale, ...localeInfo(locale).fallback].filter((code) => byLocale[code]);
  const compiled = new Map<string, IntlMessageFormat | string>();
  const reported = new Set<string>();
  const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimeFmt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const numberFmt = new Intl.NumberFormat(locale);
  const listFmt = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });

  function lookup(key: string): IntlMessageFormat | string {
    const hit = compiled.get(key);
    if (hit !== undefined) return hit;
    const from = chain.find((code) => Object.prototype.hasOwnProperty.call(byLocale[code], key));
    if (from !== locale && !reported.has(key)) {
      reported.add(key);
      onMissing?.({ key, locale, shownFrom: from ?? null });
    }
    const message = from ? byLocale[from][key] : key;
    // ignoreTag: messages are plain text; a "<username>" in a hint is text, not markup.
    const format = from ? new IntlMessageFormat(message, from, undefined, { ignoreTag: true }) : message;
    compiled.set(key, format);
    return format;
  }

  return {
    locale,
    t(key, values) {
      const m = lookup(key);
      if (typeof m === 'string') return m;
      return String(m.format(values as Record<string, string | number | boolean | Date | null | undefined>));
    },
    has: (key) => chain.some((code) => Object.prototype.hasOwnProperty.call(byLocale[code], key)),
    date: (d) => (d ? dateFmt.format(new Date(`${d.slice(0, 10)}T00:00:00Z`)) : ''),
    dateTime: (iso) => (iso ? dateTimeFmt.format(new Date(iso)) : ''),
    number: (n) => numberFmt.format(n),
    list: (items) => listFmt.format(items),
  };
}

/** Merges one locale's namespace files into one catalog; a key present in two namespaces is a mistake. */
export function mergeNamespaces(files: Partial<Record<Namespace, Catalog>>): Catalog {
  const out: Record<string, string> = {};
  for (const ns of NAMESPACES) {
    for (const [key, message] of Object.entries(files[ns] ?? {})) {
      if (key in out) throw new Error(`i18n: key "${key}" is defined in two namespaces`);
      out[key] = message;
    }
  }
  return out;
}
