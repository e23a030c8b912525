import { useRef, useState } from 'preact/hooks';
import { HubError, newIdempotencyKey } from '../shared/api';
import { useT } from '../shared/i18n';
import { Alert, Bdi, errorText, Field, valueOf } from '../shared/ui';
import type { ReturneeRecordFragment } from '../api/generated';
import { renderValue } from './values';

/**
 * A form described by data: the caller's write forms are all built from it. It sends an
 * Idempotency-Key per intended change (the same key again when the user retries after a lost
 * answer), shows the API's validation message at each field it names (extensions.fields), and
 * for an edit based on an old version (CONFLICT) shows what changed meanwhile and offers to
 * apply the user's changes to the current version.
 */
export type FieldKind = 'text' | 'textarea' | 'date' | 'bool' | 'tri' | 'enum' | 'list';
export interface FieldSpec {
  name: string;
  kind: FieldKind;
  enumType?: string;
  values?: readonly string[];
  required?: boolean;
}
export type FormValues = Record<string, string | boolean>;
type RecordT = ReturneeRecordFragment;

export function toFormValues(specs: FieldSpec[], source: { [k: string]: unknown }): FormValues {
  const out: FormValues = {};
  for (const s of specs) {
    const v = source[s.name];
    if (s.kind === 'bool') out[s.name] = v === true;
    else if (s.kind === 'tri') out[s.name] = v === true ? 'yes' : v === false ? 'no' : '';
    else if (s.kind === 'list') out[s.name] = Array.isArray(v) ? v.join(', ') : '';
    else out[s.name] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

function toInput(spec: FieldSpec, v: string | boolean): unknown {
  if (spec.kind === 'bool') return v === true;
  if (spec.kind === 'tri') return v === 'yes' ? true : v === 'no' ? false : null;
  if (spec.kind === 'list')
    return String(v)
      .split(/[,\n]/)
      .map((x) => x.trim())
      .filter(Boolean);
  const s = String(v).trim();
  return s === '' ? null : s;
}

/** create: every filled field; edit: only the fields that differ from the initial values (null clears one). */
export function buildInput(specs: FieldSpec[], values: FormValues, initial: FormValues | null): { [k: string]: unknown } {
  const out: { [k: string]: unknown } = {};
  for (const s of specs) {
    if (initial && values[s.name] === initial[s.name]) continue;
    const v = toInput(s, values[s.name]);
    if (!initial && (v === null || (Array.isArray(v) && v.length === 0))) continue;
    out[s.name] = v;
  }
  return out;
}

export interface SpecFormProps {
  id: string;
  title: string;
  specs: FieldSpec[];
  /** Edit forms: the record's current values; changes are sent against `version`. */
  initial?: FormValues;
  /** Create forms: values to start from. */
  defaults?: FormValues;
  /** API input names that differ from the form's field names (for errors at the field). */
  aliases?: { [apiName: string]: string };
  submit(values: FormValues, idempotencyKey: string, version: number): Promise<RecordT>;
  version: number;
  onDone(record: RecordT): void;
  onCancel(): void;
  /** Re-reads the record after a CONFLICT. */
  reload(): Promise<RecordT | null>;
}

export function SpecForm(props: SpecFormProps) {
  const t = useT();
  const [values, setValues] = useState<FormValues>(() => props.initial ?? props.defaults ?? toFormValues(props.specs, {}));
  const [fieldErrors, setFieldErrors] = useState<{ [k: string]: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [conflict, setConflict] = useState<{ current: RecordT; base: FormValues } | null>(null);
  const [version, setVersion] = useState(props.version);
  const [initial, setInitial] = useState(props.initial ?? null);
  const key = useRef<string | null>(null);

  const set = (name: string, v: string | boolean) => {
    key.current = null;
    setValues({ ...values, [name]: v });
  };

  async function send(atVersion: number) {
    const missing = props.specs.filter((s) => s.required && (values[s.name] === '' || values[s.name] === undefined));
    if (missing.length) {
      setFieldErrors(Object.fromEntries(missing.map((s) => [s.name, t.t('app.form.required')])));
      return;
    }
    key.current ??= newIdempotencyKey();
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      const record = await props.submit(values, key.current, atVersion);
      key.current = null;
      props.onDone(record);
    } catch (e) {
      const err = e as HubError;
      if (['NETWORK', 'HTTP', 'INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE', 'TIMEOUT'].includes(err.code)) {
        setError(t.t('app.form.retryable', { message: errorText(t, e) })); // same key on retry: applied at most once
        return;
      }
      key.current = null;
      if (err.code === 'CONFLICT' && initial) {
        const current = await props.reload();
        if (current) setConflict({ current, base: toFormValues(props.specs, current as never) });
        return;
      }
      const known = err.fields
        .map((f) => f.split('.').pop()!)
        .map((f) => props.aliases?.[f] ?? f)
        .filter((f) => props.specs.some((s) => s.name === f));
      if (known.length) setFieldErrors(Object.fromEntries(known.map((f) => [f, err.message])));
      else setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }

  const retryOnCurrent = () => {
    if (!conflict) return;
    setVersion(conflict.current.version);
    setInitial(conflict.base);
    setConflict(null);
    void send(conflict.current.version);
  };

  const changed = initial ? props.specs.filter((s) => values[s.name] !== initial[s.name]) : [];
  return (
    <form
      id={props.id}
      class="spec-form"
      noValidate
      aria-labelledby={`${props.id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        void send(version);
      }}
    >
      <h3 id={`${props.id}-title`}>{props.title}</h3>
      {conflict ? (
        <div class="conflict" id="conflict" role="alert">
          <strong>{t.t('app.conflict.title')}</strong>
          <p>{t.t('app.conflict.explain', { version: conflict.current.version })}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t.t('app.conflict.field')}</th>
                <th scope="col">{t.t('app.conflict.yours')}</th>
                <th scope="col">{t.t('app.conflict.current')}</th>
              </tr>
            </thead>
            <tbody>
              {changed.map((s) => (
                <tr key={s.name} data-field={s.name}>
                  <th scope="row">{t.t(`app.field.${s.name}`)}</th>
                  <td>{shown(t, s, values[s.name])}</td>
                  <td class="current-value">{shown(t, s, conflict.base[s.name])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="actions">
            <button type="button" class="primary" id="conflict-retry" onClick={retryOnCurrent}>
              {t.t('app.conflict.retry')}
            </button>
            <button type="button" onClick={props.onCancel}>
              {t.t('app.conflict.discard')}
            </button>
          </div>
        </div>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
      <div class="form-grid">
        {props.specs.map((s) => (
          <SpecInput
            key={s.name}
            spec={s}
            formId={props.id}
            value={values[s.name]}
            error={fieldErrors[s.name]}
            onChange={(v) => set(s.name, v)}
          />
        ))}
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || (initial !== null && changed.length === 0)}>
          {t.t('app.form.save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t.t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function shown(t: ReturnType<typeof useT>, s: FieldSpec, v: string | boolean) {
  if (v === '' || v === undefined) return <span class="empty-value">{t.t('app.value.notRecorded')}</span>;
  if (s.kind === 'tri') return t.t(v === 'yes' ? 'common.yes' : 'common.no');
  if (s.kind === 'enum') return t.t(`common.enum.${s.enumType}.${v}`);
  return typeof v === 'boolean' ? t.t(v ? 'common.yes' : 'common.no') : <Bdi>{renderValue(t, s.name, v)}</Bdi>;
}

function SpecInput(props: {
  spec: FieldSpec;
  formId: string;
  value: string | boolean;
  error?: string;
  onChange: (v: string | boolean) => void;
}) {
  const t = useT();
  const { spec, value } = props;
  const id = `${props.formId}-${spec.name}`;
  const label = t.t(`app.field.${spec.name}`) + (spec.required ? ' *' : '');
  if (spec.kind === 'bool') {
    return (
      <div class="check">
        <input
          id={id}
          name={spec.name}
          type="checkbox"
          checked={value === true}
          aria-invalid={props.error ? 'true' : undefined}
          onChange={(e) => props.onChange(e.currentTarget.checked)}
        />
        <label for={id}>{label}</label>
        {props.error ? (
          <div class="field-error" role="alert">
            {props.error}
          </div>
        ) : null}
      </div>
    );
  }
  const hint = spec.kind === 'list' ? t.t('app.form.listHint') : undefined;
  return (
    <Field id={id} label={label} error={props.error} hint={hint} class={spec.kind === 'textarea' ? 'wide' : ''}>
      {(a) =>
        spec.kind === 'textarea' ? (
          <textarea {...a} name={spec.name} rows={3} value={String(value)} onInput={(e) => props.onChange(valueOf(e))} />
        ) : spec.kind === 'tri' ? (
          <select {...a} name={spec.name} value={String(value)} onChange={(e) => props.onChange(valueOf(e))}>
            <option value="">{t.t('app.value.notRecorded')}</option>
            <option value="yes">{t.t('common.yes')}</option>
            <option value="no">{t.t('common.no')}</option>
          </select>
        ) : spec.kind === 'enum' ? (
          <select {...a} name={spec.name} value={String(value)} onChange={(e) => props.onChange(valueOf(e))}>
            <option value="">{t.t('app.form.choose')}</option>
            {spec.values!.map((v) => (
              <option key={v} value={v}>
                {t.t(`common.enum.${spec.enumType}.${v}`)}
              </option>
            ))}
          </select>
        ) : spec.kind === 'date' ? (
          <input {...a} name={spec.name} type="date" value={String(value)} onInput={(e) => props.onChange(valueOf(e))} />
        ) : (
          <input {...a} name={spec.name} type="text" value={String(value)} onInput={(e) => props.onChange(valueOf(e))} />
        )
      }
    </Field>
  );
}
