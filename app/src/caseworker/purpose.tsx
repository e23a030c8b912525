import { useState } from 'preact/hooks';
import { useT } from '../shared/i18n';
import { Field, valueOf } from '../shared/ui';

/**
 * The purpose of use, chosen per session from a list plus free text; sent as X-Purpose-Of-Use
 * on every request and stored on every audit event, so the words are the user's language.
 */
export const PURPOSES = ['followUp', 'assessment', 'caseConference', 'referral', 'documents', 'school', 'support', 'other'] as const;
export const MAX_PURPOSE = 200;

export interface PurposeValue {
  choice: string;
  details: string;
}

export function composePurpose(t: ReturnType<typeof useT>, v: PurposeValue): string {
  const details = v.details.trim();
  if (v.choice === 'other') return details;
  const label = t.t(`app.purpose.option.${v.choice}`);
  return details ? `${label}: ${details}` : label;
}

export function PurposePicker(props: { value: PurposeValue; onChange: (v: PurposeValue) => void; error?: string }) {
  const t = useT();
  const { value } = props;
  return (
    <div class="purpose-picker">
      <Field label={t.t('app.purpose.label')} hint={t.t('app.purpose.hint')}>
        {(a) => (
          <select {...a} name="purpose-choice" value={value.choice} onChange={(e) => props.onChange({ ...value, choice: valueOf(e) })}>
            {PURPOSES.map((p) => (
              <option key={p} value={p}>
                {t.t(`app.purpose.option.${p}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={value.choice === 'other' ? t.t('app.purpose.detailsRequired') : t.t('app.purpose.details')} error={props.error}>
        {(a) => (
          <input
            {...a}
            name="purpose-details"
            type="text"
            maxLength={120}
            value={value.details}
            onInput={(e) => props.onChange({ ...value, details: valueOf(e) })}
          />
        )}
      </Field>
    </div>
  );
}

export function purposeError(t: ReturnType<typeof useT>, v: PurposeValue): string | undefined {
  const text = composePurpose(t, v);
  if (!text) return t.t('app.purpose.required');
  if (text.length > MAX_PURPOSE) return t.t('app.purpose.tooLong', { max: MAX_PURPOSE });
  return undefined;
}
