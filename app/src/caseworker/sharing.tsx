import { useEffect, useState } from 'preact/hooks';
import {
  GrantCaseAccessDocument,
  ReferReturneeDocument,
  ReturneeSharingDocument,
  RevokeCaseAccessDocument,
  RevokeConsentDocument,
  type AgencyBriefFragment,
  type ReturneeRecordFragment,
  type ReturneeSharingQuery,
} from '../api/generated';
import { useT } from '../shared/i18n';
import { Alert, Bdi, Checkbox, errorText, Field, valueOf } from '../shared/ui';
import { AgencyPicker } from './agency-picker';
import { ConsentForm } from './consent-form';
import { isSupervisor, useApp } from './context';
import { Hidden } from './hidden';
import { useMutation } from './mutation';
import { ReferralList } from './referral-list';

type Sharing = ReturneeSharingQuery;

/** Consents, case access and referrals of one record: who else sees it, and on what basis. */
export function SharingTab(props: { record: ReturneeRecordFragment }) {
  const t = useT();
  const { gql } = useApp();
  const [data, setData] = useState<Sharing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => gql(ReturneeSharingDocument, { id: props.record.id }).then(setData, (e) => setError(errorText(t, e)));
  useEffect(() => {
    void load();
  }, [props.record.id]);
  if (error) return <Alert>{error}</Alert>;
  if (!data) return <p class="muted">{t.t('common.loading')}</p>;
  return (
    <div class="sharing">
      <Consents record={props.record} consents={data.consents} reload={load} />
      <Accesses record={props.record} accesses={data.caseAccesses} reload={load} />
      <section aria-labelledby="referrals-of-record">
        <h2 id="referrals-of-record">{t.t('app.sharing.referrals')}</h2>
        <ReferralList referrals={data.referrals.nodes} onChanged={load} />
        <ReferForm record={props.record} onDone={load} />
      </section>
    </div>
  );
}

function Consents(props: { record: ReturneeRecordFragment; consents: Sharing['consents']; reload: () => void }) {
  const t = useT();
  const { me } = useApp(); // sectors outside the policy's consentRoles see consents but are not offered to change them
  const [adding, setAdding] = useState(false);
  return (
    <section aria-labelledby="consents-title">
      <h2 id="consents-title">{t.t('app.consent.title')}</h2>
      {props.consents.length === 0 ? (
        <p class="empty">{t.t('app.consent.none')}</p>
      ) : (
        <ul class="items" id="consents">
          {props.consents.map((c) => (
            <li key={c.id} class={`item ${c.active ? '' : 'inactive'}`} data-consent={c.id}>
              <strong>{t.t(c.active ? 'app.consent.active' : c.revokedAt ? 'app.consent.revoked' : 'app.consent.inactive')}</strong>
              {' — '}
              {t.t(`common.enum.ConsentGiver.${c.givenBy}`)}
              {c.givenBy === 'GUARDIAN' ? (
                <>
                  {' '}
                  (
                  {c.redactedFields.includes('guardianName') ? (
                    <Hidden section="CONTACT" record={props.record} short />
                  ) : (
                    <Bdi>{c.guardianName ?? ''}</Bdi>
                  )}
                  )
                </>
              ) : null}
              <div>
                {t.t('app.consent.covers', {
                  sectors: t.list(c.sectors.map((s) => t.t(`common.enum.Sector.${s}`))),
                  sections: t.list(c.sections.map((s) => t.t(`common.enum.Section.${s}`))),
                })}
              </div>
              <div class="muted small">
                {t.t('app.consent.meta', {
                  purpose: c.purpose,
                  from: t.date(c.validFrom),
                  until: c.validUntil ? t.date(c.validUntil) : '—',
                  agency: c.agency.name,
                })}
              </div>
              {c.active && me.canRecordConsent ? <RevokeButton id={c.id} kind="consent" onDone={props.reload} /> : null}
            </li>
          ))}
        </ul>
      )}
      {!me.canRecordConsent ? null : adding ? (
        <ConsentForm
          record={props.record}
          onDone={() => {
            setAdding(false);
            props.reload();
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <button type="button" id="open-consent" onClick={() => setAdding(true)}>
          {t.t('app.consent.record')}
        </button>
      )}
    </section>
  );
}

function Accesses(props: { record: ReturneeRecordFragment; accesses: Sharing['caseAccesses']; reload: () => void }) {
  const t = useT();
  const { me } = useApp();
  const [adding, setAdding] = useState(false);
  return (
    <section aria-labelledby="access-title">
      <h2 id="access-title">{t.t('app.access.title')}</h2>
      {props.accesses.length === 0 ? (
        <p class="empty">{t.t('app.access.none')}</p>
      ) : (
        <ul class="items" id="accesses">
          {props.accesses.map((a) => (
            <li key={a.id} class={`item ${a.active ? '' : 'inactive'}`}>
              <strong>{a.agency.name}</strong> ({a.agency.code}, {a.agency.country}) — {t.t(`common.enum.CaseAccessBasis.${a.basis}`)}
              {a.crossBorder ? <span class="chip">{t.t('app.sharing.crossBorder')}</span> : null}
              <div class="muted small">{t.t('app.access.meta', { reason: a.reason, when: t.dateTime(a.grantedAt) })}</div>
              {a.revokedAt ? (
                <div class="muted small">
                  {t.t('app.access.ended', { when: t.dateTime(a.revokedAt), reason: a.revocationReason ?? '' })}
                </div>
              ) : null}
              {a.active && isSupervisor(me) ? <RevokeButton id={a.id} kind="access" onDone={props.reload} /> : null}
            </li>
          ))}
        </ul>
      )}
      {me.canGrantCaseAccess ? (
        adding ? (
          <GrantForm
            record={props.record}
            onDone={() => {
              setAdding(false);
              props.reload();
            }}
            onCancel={() => setAdding(false)}
          />
        ) : (
          <button type="button" id="open-grant" onClick={() => setAdding(true)}>
            {t.t('app.access.grant')}
          </button>
        )
      ) : null}
    </section>
  );
}

function RevokeButton(props: { id: string; kind: 'consent' | 'access'; onDone: () => void }) {
  const t = useT();
  const { gql } = useApp();
  const m = useMutation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!open)
    return (
      <button type="button" class="link" onClick={() => setOpen(true)}>
        {t.t(`app.${props.kind}.revoke`)}
      </button>
    );
  const submit = async (e: Event) => {
    e.preventDefault();
    const input = { id: props.id, reason: reason.trim() };
    const ok = await m.run(async (idempotencyKey) => {
      if (props.kind === 'consent') await gql(RevokeConsentDocument, { input }, { idempotencyKey });
      else await gql(RevokeCaseAccessDocument, { input }, { idempotencyKey });
    });
    if (ok) props.onDone();
  };
  return (
    <form class="inline-form" noValidate onSubmit={submit}>
      <Field id={`revoke-${props.id}`} label={t.t('app.sharing.revokeReason')} error={m.fields.reason ?? m.error ?? undefined}>
        {(a) => (
          <input
            {...a}
            type="text"
            required
            value={reason}
            onInput={(e) => {
              m.changed();
              setReason(valueOf(e));
            }}
          />
        )}
      </Field>
      <button type="submit" disabled={m.busy || !reason.trim()}>
        {t.t(`app.${props.kind}.revoke`)}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {t.t('common.cancel')}
      </button>
    </form>
  );
}

/** Agency, reason and the cross-border mark shared by granting access and referring. */
function useAgencyTarget() {
  const { me } = useApp();
  const [agency, setAgency] = useState<AgencyBriefFragment | null>(null);
  const [reason, setReason] = useState('');
  const [crossBorder, setCrossBorder] = useState(false);
  const foreign = !!agency && agency.country !== me.staff.agency.country;
  return {
    agency,
    setAgency,
    reason,
    setReason,
    crossBorder: foreign && crossBorder,
    setCrossBorder,
    foreign,
    blocked: !agency || (foreign && !crossBorder),
  };
}

function CrossBorder(props: { target: ReturnType<typeof useAgencyTarget>; id: string }) {
  const t = useT();
  const { target } = props;
  if (!target.foreign) return null;
  return (
    <div class="cross-border">
      <p class="hint">{t.t('app.sharing.foreignAgency', { country: target.agency!.country })}</p>
      <Checkbox id={props.id} label={t.t('app.sharing.markCrossBorder')} checked={target.crossBorder} onChange={target.setCrossBorder} />
    </div>
  );
}

function GrantForm(props: { record: ReturneeRecordFragment; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const { gql, me } = useApp();
  const m = useMutation();
  const g = useAgencyTarget();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (g.blocked) return;
    const ok = await m.run(async (idempotencyKey) => {
      await gql(
        GrantCaseAccessDocument,
        { input: { returneeId: props.record.id, agencyId: g.agency!.id, reason: g.reason.trim(), crossBorder: g.crossBorder } },
        { idempotencyKey },
      );
    });
    if (ok) props.onDone();
  };
  return (
    <form id="grant-form" class="spec-form" noValidate onSubmit={submit}>
      <h3>{t.t('app.access.grant')}</h3>
      {m.error ? <Alert>{m.error}</Alert> : null}
      <AgencyPicker
        id="grant-agency"
        value={g.agency?.id ?? ''}
        onChange={(a) => {
          m.changed();
          g.setAgency(a);
        }}
        exclude={me.staff.agency.id}
        error={m.fields.agencyId}
      />
      <Field id="grant-reason" label={t.t('app.sharing.reason')} error={m.fields.reason}>
        {(a) => <input {...a} type="text" value={g.reason} onInput={(e) => g.setReason(valueOf(e))} />}
      </Field>
      <CrossBorder target={g} id="grant-cross-border" />
      <div class="actions">
        <button type="submit" class="primary" disabled={m.busy || g.blocked || !g.reason.trim()}>
          {t.t('app.access.grant')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t.t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function ReferForm(props: { record: ReturneeRecordFragment; onDone: () => void }) {
  const t = useT();
  const { gql, me } = useApp();
  const m = useMutation();
  const g = useAgencyTarget();
  const [open, setOpen] = useState(false);
  const [service, setService] = useState('');
  const [sent, setSent] = useState(false);
  if (!open)
    return (
      <>
        {sent ? (
          <p class="alert ok" role="status">
            {t.t('app.refer.sent')}
          </p>
        ) : null}
        <button
          type="button"
          id="open-refer"
          onClick={() => {
            setSent(false);
            setOpen(true);
          }}
        >
          {t.t('app.refer.open')}
        </button>
      </>
    );
  const submit = async (e: Event) => {
    e.preventDefault();
    if (g.blocked) return;
    const ok = await m.run(async (idempotencyKey) => {
      await gql(
        ReferReturneeDocument,
        {
          input: {
            returneeId: props.record.id,
            toAgencyId: g.agency!.id,
            service: service.trim(),
            reason: g.reason.trim(),
            crossBorder: g.crossBorder,
          },
        },
        { idempotencyKey },
      );
    });
    if (ok) {
      setOpen(false);
      setSent(true);
      props.onDone();
    }
  };
  return (
    <form id="refer-form" class="spec-form" noValidate onSubmit={submit}>
      <h3>{t.t('app.refer.title')}</h3>
      {m.error ? <Alert>{m.error}</Alert> : null}
      <AgencyPicker
        id="refer-agency"
        value={g.agency?.id ?? ''}
        onChange={(a) => {
          m.changed();
          g.setAgency(a);
        }}
        exclude={me.staff.agency.id}
        error={m.fields.toAgencyId}
      />
      <Field id="refer-service" label={t.t('app.refer.service')} hint={t.t('app.refer.serviceHint')} error={m.fields.service}>
        {(a) => <input {...a} type="text" value={service} onInput={(e) => setService(valueOf(e))} />}
      </Field>
      <Field id="refer-reason" label={t.t('app.sharing.reason')} error={m.fields.reason}>
        {(a) => <input {...a} type="text" value={g.reason} onInput={(e) => g.setReason(valueOf(e))} />}
      </Field>
      <CrossBorder target={g} id="refer-cross-border" />
      <div class="actions">
        <button type="submit" class="primary" disabled={m.busy || g.blocked || !service.trim() || !g.reason.trim()}>
          {t.t('app.refer.submit')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t.t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
