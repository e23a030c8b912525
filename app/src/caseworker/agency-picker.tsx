import { useState } from 'preact/hooks';
import { AgencyDirectoryDocument, type AgencyBriefFragment } from '../api/generated';
import { useT } from '../shared/i18n';
import { Field, valueOf } from '../shared/ui';
import { useApp } from './context';

/**
 * An agency menu read from the directory the first time it is opened (every agency read is an
 * audit event, so merely opening a record reads no directory), kept for the session.
 */
export function AgencyPicker(props: {
  id: string;
  value: string;
  onChange: (a: AgencyBriefFragment | null) => void;
  error?: string;
  exclude?: string;
}) {
  const t = useT();
  const { gql, memory } = useApp();
  const [agencies, setAgencies] = useState<AgencyBriefFragment[] | null>(() => (memory.get('agencies') as AgencyBriefFragment[]) ?? null);
  const load = async () => {
    if (agencies) return;
    const { agencies: list } = await gql(AgencyDirectoryDocument);
    const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name, t.locale));
    memory.set('agencies', sorted);
    setAgencies(sorted);
  };
  return (
    <Field id={props.id} label={t.t('app.sharing.agency')} error={props.error}>
      {(a) => (
        <select
          {...a}
          value={props.value}
          onFocus={load}
          onMouseDown={load}
          onKeyDown={load}
          onChange={(e) => props.onChange(agencies?.find((x) => x.id === valueOf(e)) ?? null)}
        >
          <option value="">{agencies ? t.t('app.form.choose') : t.t('app.sharing.loadAgencies')}</option>
          {(agencies ?? [])
            .filter((x) => x.id !== props.exclude && !['OVERSIGHT', 'ADMINISTRATION'].includes(x.sector))
            .map((x) => (
              <option key={x.id} value={x.id}>{`${x.name} (${x.code}, ${t.t(`common.enum.Sector.${x.sector}`)}, ${x.country})`}</option>
            ))}
        </select>
      )}
    </Field>
  );
}
