import { useState } from 'preact/hooks';
import { AcceptReferralDocument, DeclineReferralDocument, type ReferralItemFragment } from '../api/generated';
import { useT } from '../shared/i18n';
import { Alert, Field, valueOf } from '../shared/ui';
import { isSupervisor, useApp } from './context';
import { useMutation } from './mutation';

/** Referrals with their state; supervisors of the receiving agency accept or decline pending ones. */
export function ReferralList(props: { referrals: ReferralItemFragment[]; onChanged: () => void; id?: string }) {
  const t = useT();
  if (props.referrals.length === 0) return <p class="empty">{t.t('app.referrals.none')}</p>;
  return (
    <ul class="items" id={props.id}>
      {props.referrals.map((r) => (
        <ReferralItem key={r.id} referral={r} onChanged={props.onChanged} />
      ))}
    </ul>
  );
}

function ReferralItem(props: { referral: ReferralItemFragment; onChanged: () => void }) {
  const t = useT();
  const { gql, me } = useApp();
  const m = useMutation();
  const [note, setNote] = useState('');
  const [declining, setDeclining] = useState(false);
  const r = props.referral;
  const incoming = r.toAgency.id === me.staff.agency.id;
  const canDecide = incoming && r.status === 'PENDING' && isSupervisor(me);
  const decide = async (accept: boolean) => {
    const input = { id: r.id, ...(note.trim() ? { note: note.trim() } : {}) };
    const ok = await m.run(async (idempotencyKey) => {
      if (accept) await gql(AcceptReferralDocument, { input }, { idempotencyKey });
      else await gql(DeclineReferralDocument, { input }, { idempotencyKey });
    });
    if (ok) props.onChanged();
  };
  return (
    <li class="item referral" data-referral={r.id} data-status={r.status}>
      <div>
        <span class={`chip status-${r.status.toLowerCase()}`}>{t.t(`common.enum.ReferralStatus.${r.status}`)}</span>{' '}
        {r.status === 'ACCEPTED' || !incoming ? (
          <a href={`#/record/${r.returnee.id}`}>{r.returnee.caseNumber}</a>
        ) : (
          <span>{r.returnee.caseNumber}</span>
        )}
        {' — '}
        <strong>{r.service}</strong>
        {r.crossBorder ? <span class="chip">{t.t('app.sharing.crossBorder')}</span> : null}
      </div>
      <div class="small">{t.t('app.referrals.route', { from: r.fromAgency.name, to: r.toAgency.name })}</div>
      <div class="small">{t.t('app.referrals.reason', { reason: r.reason })}</div>
      <div class="muted small">
        {t.t('app.referrals.sent', { when: t.dateTime(r.createdAt) })}
        {r.decidedAt ? ` · ${t.t('app.referrals.decided', { when: t.dateTime(r.decidedAt) })}` : ''}
      </div>
      {r.decisionNote ? <div class="small">{t.t('app.referrals.note', { note: r.decisionNote })}</div> : null}
      {m.error ? <Alert>{m.error}</Alert> : null}
      {canDecide ? (
        <div class="decide">
          {declining ? (
            <Field id={`note-${r.id}`} label={t.t('app.referrals.declineNote')} error={m.fields.note}>
              {(a) => <input {...a} type="text" value={note} onInput={(e) => setNote(valueOf(e))} />}
            </Field>
          ) : null}
          <div class="actions">
            {!declining ? (
              <button type="button" class="primary accept" disabled={m.busy} onClick={() => decide(true)}>
                {t.t('app.referrals.accept')}
              </button>
            ) : null}
            <button
              type="button"
              class="decline"
              disabled={m.busy || (declining && !note.trim())}
              onClick={() => (declining ? decide(false) : setDeclining(true))}
            >
              {t.t(declining ? 'app.referrals.confirmDecline' : 'app.referrals.decline')}
            </button>
            {declining ? (
              <button type="button" onClick={() => setDeclining(false)}>
                {t.t('common.cancel')}
              </button>
            ) : null}
          </div>
        </div>
      ) : incoming && r.status === 'PENDING' ? (
        <p class="muted small">{t.t('app.referrals.supervisorDecides')}</p>
      ) : null}
    </li>
  );
}
