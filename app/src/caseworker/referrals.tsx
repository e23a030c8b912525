import { useEffect, useState } from 'preact/hooks';
import { ReferralsDocument, type ReferralDirection, type ReferralsQuery, type ReferralStatus } from '../api/generated';
import { useT } from '../shared/i18n';
import { Alert, errorText, Field, valueOf } from '../shared/ui';
import { useApp } from './context';
import { ReferralList } from './referral-list';

const STATUSES: ReferralStatus[] = ['PENDING', 'ACCEPTED', 'DECLINED', 'CLOSED'];

/** The referral inbox: incoming (pending first by default) and outgoing, one page at a time. */
export function ReferralsScreen() {
  const t = useT();
  const { gql } = useApp();
  const [direction, setDirection] = useState<ReferralDirection>('INCOMING');
  const [status, setStatus] = useState<ReferralStatus | ''>('PENDING');
  const [data, setData] = useState<ReferralsQuery['referrals'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    gql(ReferralsDocument, { filter: { direction, ...(status ? { status } : {}) }, first: 50 }).then(
      (d) => {
        setError(null);
        setData(d.referrals);
      },
      (e) => setError(errorText(t, e)),
    );
  useEffect(() => {
    void load();
  }, [direction, status]);
  return (
    <section class="panel" aria-labelledby="referrals-title">
      <h1 id="referrals-title">{t.t('app.referrals.title')}</h1>
      <div class="filters">
        <Field id="r-direction" label={t.t('app.referrals.direction')}>
          {(a) => (
            <select {...a} value={direction} onChange={(e) => setDirection(valueOf(e) as ReferralDirection)}>
              {(['INCOMING', 'OUTGOING', 'ANY'] as ReferralDirection[]).map((d) => (
                <option key={d} value={d}>
                  {t.t(`common.enum.ReferralDirection.${d}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="r-status" label={t.t('app.referrals.status')}>
          {(a) => (
            <select {...a} value={status} onChange={(e) => setStatus(valueOf(e) as ReferralStatus | '')}>
              <option value="">{t.t('app.find.any')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t.t(`common.enum.ReferralStatus.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {error ? <Alert>{error}</Alert> : null}
      {data ? (
        <>
          <h2 id="referrals-count" aria-live="polite">
            {t.t('app.referrals.count', { count: data.totalCount })}
          </h2>
          <ReferralList id="referral-list" referrals={data.nodes} onChanged={load} />
        </>
      ) : (
        <p class="muted">{t.t('common.loading')}</p>
      )}
    </section>
  );
}
