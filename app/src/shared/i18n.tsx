import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import {
  createTranslator,
  localeInfo,
  mergeNamespaces,
  negotiateLocale,
  type Catalog,
  type Namespace,
  type Translator,
} from '../../../i18n/translator';
import { savedLanguage } from './session';

/**
 * The pages' side of the shared i18n runtime: each locale's message files are separate chunks,
 * fetched when that language is chosen (a complete locale needs no fallback files). A missing
 * key is a console error, so the browser tests fail on one.
 */
const files = import.meta.glob<Catalog>('../../../i18n/*/*.json', { import: 'default' });

async function loadLocale(code: string, namespaces: Namespace[]): Promise<Catalog> {
  const parts = await Promise.all(
    namespaces.map(async (ns) => {
      const load = files[`../../../i18n/${code}/${ns}.json`];
      return [ns, load ? await load() : {}] as const;
    }),
  );
  return mergeNamespaces(Object.fromEntries(parts));
}

export async function loadTranslator(code: string, namespaces: Namespace[]): Promise<Translator> {
  const info = localeInfo(code);
  const codes = info.status === 'complete' ? [info.code] : [info.code, ...info.fallback];
  const catalogs = Object.fromEntries(await Promise.all(codes.map(async (c) => [c, await loadLocale(c, namespaces)] as const)));
  const t = createTranslator(info.code, catalogs, (m) => {
    if (info.status === 'complete') console.error(`i18n: "${m.key}" is missing in ${m.locale}`);
  });
  document.documentElement.lang = info.code;
  return t;
}

/** ?lang=kk previews a planned locale (for translators); otherwise the saved choice or the browser's, complete locales only. */
export function initialLocale(): string {
  const param = new URLSearchParams(location.search).get('lang');
  if (param) return negotiateLocale([param], true);
  return negotiateLocale([savedLanguage() ?? '', ...navigator.languages]);
}

const I18nContext = createContext<Translator | null>(null);

export function I18nProvider(props: { t: Translator; children: ComponentChildren }) {
  return <I18nContext.Provider value={props.t}>{props.children}</I18nContext.Provider>;
}

export function useT(): Translator {
  const t = useContext(I18nContext);
  if (!t) throw new Error('useT outside I18nProvider');
  return t;
}
