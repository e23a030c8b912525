import { useState } from 'preact/hooks';
import { RecordConsentDocument, type ConsentGiver, type ReturneeRecordFragment, type Section, type Sector } from '../api/generated';
import { useT } from '../shared/i18n';
import { Alert, Checkbox, Field, valueOf } from '../shared/ui';
import { useApp } from './context';
import { useMutation } from './mutation';
import { RECORD_SECTIONS } from './sections';

const SECTORS: Sector[] = ['HEALTH', 'EDUCATION', 'SOCIAL', 'NGO'];

/**
 * Record the person's consent (for a minor, the guardian on record's) to share sections with
 * sectors. Whether SELF or GUARDIAN is right is judged by the hub from the person's age today;
 * the form starts from what the caller can read of the record.
 */
export function ConsentForm(props: { record: ReturneeRecordFragment; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const { gql } = useApp();
  const m = useMutation();
  const r = props.record;
  const [givenBy, setGivenBy] = useState<ConsentGiver>(r.isMinor ? 'GUARDIAN' : 'SELF');
  const [guardianName, setGuardianName] = useState(r.guardianName ?? '');
  const [guardianReturneeId, setGuardianReturneeId] = useState(r.guardianReturneeId ?? '');
  const [sectors, setSectors] = useState<Sector[]>([]);
  const [sections, setSections] = useState<Section[]>([]);
  const [purpose, setPurpose] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const toggle = <T,>(list: T[], v: T, on: boolean) => (on ? [...list, v] : list.filter((x) => x !== v));

  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await m.run(async (idempotencyKey) => {
      await gql(
        RecordConsentDocument,
        {
          input: {
            returneeId: r.id,
            givenBy,
            sectors,
            sections,
            purpose: purpose.trim(),
            ...(givenBy === 'GUARDIAN' && guardianName.trim() ? { guardianName: guardianName.trim() } : {}),
            ...(givenBy === 'GUARDIAN' && guardianReturneeId.trim() ? { guardianReturneeId: guardianReturneeId.trim() } : {}),
            ...(validUntil ? { validUntil } : {}),
          },
        },
        { idempotencyKey },
      );
    });
    if (ok) props.onDone();
  };

  return (
    <form id="consent-form" class="spec-form" noValidate onSubmit={submit}>
      <h3>{t.t('app.consent.record')}</h3>
      {m.error ? <Alert>{m.error}</Alert> : null}
      <fieldset>
        <legend>{t.t('app.consent.givenBy')}</legend>
        {(['SELF', 'GUARDIAN'] as ConsentGiver[]).map((g) => (
          <div class="check" key={g}>
            <input type="radio" id={`consent-by-${g}`} name="givenBy" checked={givenBy === g} onChange={() => setGivenBy(g)} />
            <label for={`consent-by-${g}`}>{t.t(`common.enum.ConsentGiver.${g}`)}</label>
          </div>
        ))}
      </fieldset>
      {givenBy === 'GUARDIAN' ? (
        <div class="form-grid">
          <Field id="consent-guardian" label={t.t('app.field.guardianName')} error={m.fields.guardianName}>
            {(a) => <input {...a} type="text" value={guardianName} onInput={(e) => setGuardianName(valueOf(e))} />}
          </Field>
          <Field id="consent-guardian-id" label={t.t('app.field.guardianReturneeId')} error={m.fields.guardianReturneeId}>
            {(a) => <input {...a} type="text" value={guardianReturneeId} onInput={(e) => setGuardianReturneeId(valueOf(e))} />}
          </Field>
        </div>
      ) : null}
      <fieldset>
        <legend>{t.t('app.consent.sectors')}</legend>
        {SECTORS.map((s) => (
          <Checkbox
            key={s}
            id={`consent-sector-${s}`}
            label={t.t(`common.enum.Sector.${s}`)}
            checked={sectors.includes(s)}
            onChange={(on) => setSectors(toggle(sectors, s, on))}
          />
        ))}
        {m.fields.sectors ? (
          <div class="field-error" role="alert">
            {m.fields.sectors}
          </div>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>{t.t('app.consent.sections')}</legend>
        <div class="check-grid">
          {RECORD_SECTIONS.map((s) => (
            <Checkbox
              key={s}
              id={`consent-section-${s}`}
              label={t.t(`common.enum.Section.${s}`)}
              checked={sections.includes(s)}
              onChange={(on) => setSections(toggle(sections, s, on))}
            />
          ))}
        </div>
        {m.fields.sections ? (
          <div class="field-error" role="alert">
            {m.fields.sections}
          </div>
        ) : null}
      </fieldset>
      <div class="form-grid">
        <Field id="consent-purpose" label={t.t('app.consent.purpose')} error={m.fields.purpose}>
          {(a) => <input {...a} type="text" value={purpose} onInput={(e) => setPurpose(valueOf(e))} />}
        </Field>
        <Field id="consent-until" label={t.t('app.consent.validUntil')} error={m.fields.validUntil}>
          {(a) => <input {...a} type="date" value={validUntil} onInput={(e) => setValidUntil(valueOf(e))} />}
        </Field>
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={m.busy || !sectors.length || !sections.length || !purpose.trim()}>
          {t.t('app.consent.save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t.t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
