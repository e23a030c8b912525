import type { ReturneeRecordFragment } from '../api/generated';
import { useT } from '../shared/i18n';
import { useApp } from './context';
import { hiddenReason, sectionOf, type RecordSection } from './sections';

type Visibility = Pick<ReturneeRecordFragment, 'redactedFields' | 'isMinor'>;

/** A withheld value: shown as hidden with its reason, never as empty. */
export function Hidden(props: { section: RecordSection; record: Visibility; short?: boolean }) {
  const t = useT();
  const { me } = useApp();
  const reason = hiddenReason(props.section, me, props.record);
  return (
    <span class="hidden-value" data-hidden-reason={reason} title={props.short ? t.t(`app.hidden.reason.${reason}`) : undefined}>
      {props.short ? t.t(`app.hidden.short.${reason}`) : t.t(`app.hidden.reason.${reason}`)}
    </span>
  );
}

/** The value of one field, or Hidden when the hub withheld it, or "not recorded" when empty. */
export function ValueOrHidden(props: {
  field: string;
  record: Visibility;
  value: unknown;
  render?: (v: unknown) => preact.ComponentChildren;
  short?: boolean;
}) {
  const t = useT();
  if (props.record.redactedFields.includes(props.field)) {
    return <Hidden section={sectionOf(props.field)!} record={props.record} short={props.short} />;
  }
  const v = props.value;
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0) || v === '')
    return <span class="empty-value">{t.t('app.value.notRecorded')}</span>;
  return <>{props.render ? props.render(v) : String(v)}</>;
}
