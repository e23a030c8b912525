import { useEffect, useState } from 'preact/hooks';
import { ReturneeRecordDocument, type ReturneeRecordFragment } from '../api/generated';
import { useT } from '../shared/i18n';
import { Alert, Bdi, errorText } from '../shared/ui';
import { useApp } from './context';
import { HistoryTab } from './history';
import { RecordSections } from './record-sections';
import { SharingTab } from './sharing';

export type Record = ReturneeRecordFragment;
const TABS = ['record', 'history', 'sharing'] as const;

/**
 * One person's record: every section the caller's policy grants, in the policy's order, with
 * the caller's own forms; the history and the sharing (consents, case access, referrals) are
 * separate tabs read only when opened, so opening a record reads no more than it shows.
 */
export function RecordScreen(props: { id: string; tab: string }) {
  const t = useT();
  const { gql } = useApp();
  const [record, setRecord] = useState<Record | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tab = (TABS as readonly string[]).includes(props.tab) ? props.tab : 'record';

  const reload = async (): Promise<Record | null> => {
    try {
      const { returnee } = await gql(ReturneeRecordDocument, { id: props.id });
      setRecord(returnee);
      setError(null);
      return returnee;
    } catch (e) {
      setError(errorText(t, e));
      return null;
    }
  };
  useEffect(() => {
    void reload();
  }, [props.id]);

  if (error && !record)
    return (
      <section class="panel">
        <a href="#/find">{t.t('app.record.back')}</a>
        <Alert>{error}</Alert>
      </section>
    );
  if (!record)
    return (
      <section class="panel" aria-busy="true">
        <p class="muted">{t.t('common.loading')}</p>
      </section>
    );
  const name = [record.givenName, record.patronymic, record.familyName].filter(Boolean).join(' ');

  return (
    <section class="record" aria-labelledby="record-title">
      <div class="record-head">
        <a href="#/find">{t.t('app.record.back')}</a>
        <h1 id="record-title">
          <span class="case-number">{record.caseNumber}</span>
          {name ? (
            <>
              {' '}
              — <Bdi>{name}</Bdi>
            </>
          ) : null}
        </h1>
        <p class="muted small">{t.t('app.record.version', { version: record.version })}</p>
      </div>
      <nav class="tabs" aria-label={t.t('app.record.tabs')}>
        {TABS.map((k) => (
          <a key={k} class="tab" href={`#/record/${record.id}/${k}`} aria-current={tab === k ? 'page' : undefined} data-view={k}>
            {t.t(`app.record.tab.${k}`)}
          </a>
        ))}
      </nav>
      <div class="panel tab-panel">
        {error ? <Alert>{error}</Alert> : null}
        {tab === 'history' ? (
          <HistoryTab record={record} />
        ) : tab === 'sharing' ? (
          <SharingTab record={record} />
        ) : (
          <RecordSections record={record} onChanged={setRecord} reload={reload} />
        )}
      </div>
    </section>
  );
}
