import type { ComponentChildren } from 'preact';
import type { Translator } from '../../../i18n/translator';
import { Bdi } from '../shared/ui';
import { COUNTRY_FIELDS, FIELD_ENUMS, INSTANT_FIELDS, LOCAL_DATE_FIELDS } from './sections';

/** How one value reads in the user's language: enums translated, dates and countries by Intl. */
export function countryName(t: Translator, code: string): string {
  try {
    return new Intl.DisplayNames([t.locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function renderValue(t: Translator, field: string, v: unknown): ComponentChildren {
  if (typeof v === 'boolean') return t.t(v ? 'common.yes' : 'common.no');
  if (FIELD_ENUMS[field]) return t.t(`common.enum.${FIELD_ENUMS[field]}.${v}`);
  if (LOCAL_DATE_FIELDS.has(field)) return t.date(String(v));
  if (INSTANT_FIELDS.has(field)) return t.dateTime(String(v));
  if (COUNTRY_FIELDS.has(field)) return `${countryName(t, String(v))} (${v})`;
  if (Array.isArray(v)) return <Bdi>{v.join(', ')}</Bdi>;
  if (v && typeof v === 'object' && 'name' in v) return <Bdi>{String((v as { name: string }).name)}</Bdi>;
  return <Bdi>{String(v)}</Bdi>;
}

/** Items of a nested list (assessments, documents, sessions…) as label/value pairs. */
export function Facts(props: { pairs: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {props.pairs
        .filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([k, v]) => [<dt key={`${k}-t`}>{k}</dt>, <dd key={`${k}-d`}>{v}</dd>])}
    </dl>
  );
}
