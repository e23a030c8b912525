import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { LOCALES } from '../../../i18n/translator';
import type { HubError } from './api';
import { useT } from './i18n';

/** Small building blocks shared by both pages: labelled fields, alerts, the language menu. */

export function Field(props: {
  label: string;
  error?: string;
  hint?: string;
  children: (attrs: { id: string; 'aria-invalid'?: 'true'; 'aria-describedby'?: string }) => ComponentChildren;
  class?: string;
  /** A stable id (tests and links use it); generated otherwise. */
  id?: string;
}) {
  const auto = useId();
  const id = props.id ?? auto;
  const describedBy = [props.error ? `${id}-error` : '', props.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field ${props.class ?? ''}`}>
      <label for={id}>{props.label}</label>
      {props.children({ id, 'aria-invalid': props.error ? 'true' : undefined, 'aria-describedby': describedBy })}
      {props.hint ? (
        <div id={`${id}-hint`} class="hint">
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <div id={`${id}-error`} class="field-error" role="alert">
          {props.error}
        </div>
      ) : null}
    </div>
  );
}

export function Checkbox(props: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  name?: string;
  disabled?: boolean;
  error?: string;
  id?: string;
}) {
  const auto = useId();
  const id = props.id ?? auto;
  return (
    <div class="check">
      <input
        id={id}
        name={props.name}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        aria-invalid={props.error ? 'true' : undefined}
        onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      <label for={id}>{props.label}</label>
      {props.error ? (
        <div class="field-error" role="alert">
          {props.error}
        </div>
      ) : null}
    </div>
  );
}

export function Alert(props: { kind?: 'error' | 'info' | 'ok' | 'refusal'; children: ComponentChildren; id?: string }) {
  return (
    <div id={props.id} class={`alert ${props.kind ?? 'error'}`} role={props.kind === 'info' || props.kind === 'ok' ? 'status' : 'alert'}>
      {props.children}
    </div>
  );
}

/** The message of an error from the hub, in the reader's language where the page has words for its code. */
export function errorText(t: ReturnType<typeof useT>, e: unknown): string {
  const err = e as HubError;
  if (err?.code === 'NETWORK') return t.t('common.error.network');
  if (err?.code === 'HTTP') return t.t('common.error.http', { status: err.message });
  const base = err?.message || t.t('common.error.unknown');
  return err?.requestId && err.code === 'INTERNAL_SERVER_ERROR'
    ? `${base} (${t.t('common.error.requestId', { id: err.requestId })})`
    : base;
}

export function LanguageMenu(props: { value: string; onChange: (code: string) => void }) {
  const t = useT();
  const id = useId();
  const shown = LOCALES.filter((l) => l.status === 'complete' || l.code === props.value);
  return (
    <span class="language">
      <label for={id} class="inline-label">
        {t.t('common.language')}
      </label>
      <select id={id} value={props.value} onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}>
        {shown.map((l) => (
          <option value={l.code} lang={l.code} key={l.code}>
            {l.name}
          </option>
        ))}
      </select>
    </span>
  );
}

/** Text from the record (names in any script): isolated so a right-to-left name cannot reorder the line. */
export function Bdi(props: { children: ComponentChildren }) {
  return <bdi>{props.children}</bdi>;
}

export type InputEvent = Event & { currentTarget: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement };
export const valueOf = (e: InputEvent) => e.currentTarget.value;
