import { useEffect, useState } from 'preact/hooks';
import { ReturneeHistoryDocument, type ReturneeHistoryQuery, type ReturneeRecordFragment } from '../api/generated';
import { useT } from '../shared/i18n';
import { Alert, errorText } from '../shared/ui';
import { useApp } from './context';
import { renderValue } from './values';

/** Earlier values of the fields the caller may read on this record, newest change first. */
export function HistoryTab(props: { record: ReturneeRecordFragment }) {
  const t = useT();
  const { gql, me } = useApp();
  const [rows, setRows] = useState<ReturneeHistoryQuery['returneeHistory'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    gql(ReturneeHistoryDocument, { id: props.record.id, first: 50 }).then(
      (d) => setRows(d.returneeHistory),
      (e) => setError(errorText(t, e)),
    );
  }, [props.record.id, props.record.version]);
  if (error) return <Alert>{error}</Alert>;
  if (!rows) return <p class="muted">{t.t('common.loading')}</p>;
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t.t('app.history.title')}</h2>
      <p class="muted small">{t.t('app.history.explain')}</p>
      {rows.length === 0 ? (
        <p class="empty">{t.t('app.history.none')}</p>
      ) : (
        <ol class="items" id="history">
          {rows.map((r) => (
            <li key={r.id} class="item">
              <h3>{t.t('app.history.change', { version: r.version, when: t.dateTime(r.changedAt) })}</h3>
              <p class="muted small">
                {r.agencyId === me.staff.agency.id ? t.t('app.history.byYourAgency') : t.t('app.history.byOtherAgency')}
              </p>
              <dl class="facts">
                {r.fields.map((f) => [
                  <dt key={`${f}-t`}>{t.t(`app.field.${f}`)}</dt>,
                  <dd key={`${f}-d`}>
                    {t.t('app.history.previous')}{' '}
                    {r.previous[f] === null || r.previous[f] === undefined ? (
                      <span class="empty-value">{t.t('app.value.notRecorded')}</span>
                    ) : (
                      renderValue(t, f, r.previous[f])
                    )}
                  </dd>,
                ])}
              </dl>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
