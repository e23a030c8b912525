import type { ComponentChildren } from 'preact';
import type { ReturneeRecordFragment } from '../api/generated';
import { useT } from '../shared/i18n';
import { Bdi } from '../shared/ui';
import { useApp } from './context';
import { SectionForms } from './forms';
import { Hidden, ValueOrHidden } from './hidden';
import { RECORD_SECTIONS, readableInOrder, SECTION_LAYOUT, type RecordSection } from './sections';
import { Facts, renderValue } from './values';

type Record = ReturneeRecordFragment;
const LISTS = new Set([
  'household',
  'healthAssessments',
  'educationProgressNotes',
  'civilDocuments',
  'documentStatuses',
  'socialSupport',
  'supportSessions',
]);

export function RecordSections(props: { record: Record; onChanged: (r: Record) => void; reload: () => Promise<Record | null> }) {
  const t = useT();
  const { me } = useApp();
  const { record } = props;
  const shown = readableInOrder(me);
  const notShared = RECORD_SECTIONS.filter((s) => !shown.includes(s));
  return (
    <div class="sections">
      {shown.map((s) => (
        <SectionView key={s} section={s} {...props} />
      ))}
      {notShared.length ? (
        <section class="record-section not-shared" data-section="NOT_SHARED" aria-labelledby="not-shared-title">
          <h2 id="not-shared-title">{t.t('app.record.notShared')}</h2>
          <p>
            <Hidden section={notShared[0]} record={record} />
          </p>
          <p>
            {notShared.map((s) => (
              <span class="chip section" key={s}>
                {t.t(`common.enum.Section.${s}`)}
              </span>
            ))}
          </p>
        </section>
      ) : null}
    </div>
  );
}

function SectionView(props: {
  section: RecordSection;
  record: Record;
  onChanged: (r: Record) => void;
  reload: () => Promise<Record | null>;
}) {
  const t = useT();
  const { me } = useApp();
  const { section, record } = props;
  const fields = SECTION_LAYOUT[section];
  const allHidden = fields.every((f) => record.redactedFields.includes(f));
  const titleId = `section-${section}`;
  const scalars = fields.filter((f) => !LISTS.has(f));
  const lists = fields.filter((f) => LISTS.has(f));
  const underConsent = me.consentRequiredSections.includes(section) && !allHidden;
  return (
    <section class={`record-section ${allHidden ? 'is-hidden' : ''}`} data-section={section} aria-labelledby={titleId}>
      <h2 id={titleId}>{t.t(`common.enum.Section.${section}`)}</h2>
      {underConsent ? <p class="muted small">{t.t('app.record.sharedWithYou')}</p> : null}
      {allHidden ? (
        <p>
          <Hidden section={section} record={record} />
        </p>
      ) : (
        <>
          {scalars.length ? (
            <dl class="facts">
              {scalars.map((f) => [
                <dt key={`${f}-t`}>{t.t(`app.field.${f}`)}</dt>,
                <dd key={`${f}-d`} data-field={f}>
                  <ValueOrHidden field={f} record={record} value={(record as never)[f]} render={(v) => renderValue(t, f, v)} />
                </dd>,
              ])}
            </dl>
          ) : null}
          {lists.map((f) => (
            <div key={f} class="list-field" data-field={f}>
              <h3>{t.t(`app.field.${f}`)}</h3>
              <ValueOrHidden
                field={f}
                record={record}
                value={(record as never)[f]}
                render={() => <ListItems field={f} record={record} />}
              />
            </div>
          ))}
        </>
      )}
      {me.writableSections.includes(section) ? (
        <SectionForms section={section} record={record} onChanged={props.onChanged} reload={props.reload} />
      ) : null}
    </section>
  );
}

function ListItems(props: { field: string; record: Record }): ComponentChildren {
  const t = useT();
  const r = props.record;
  const L = (k: string) => t.t(`app.field.${k}`);
  const by = (a: { name: string }, at: string) => t.t('app.record.recordedBy', { agency: a.name, when: t.dateTime(at) });
  const d = (x: string | null | undefined) => (x ? t.date(x) : null);
  const txt = (x: string | null | undefined) => (x ? <Bdi>{x}</Bdi> : null);
  switch (props.field) {
    case 'household':
      return (
        <ul class="plain">
          {r.household!.map((m) => (
            <li key={m.id}>
              <a href={`#/record/${m.id}`}>{m.caseNumber}</a> — {t.t(`common.enum.HouseholdRelation.${m.relation}`)}
            </li>
          ))}
        </ul>
      );
    case 'healthAssessments':
      return (
        <ol class="items">
          {r.healthAssessments!.map((a) => (
            <li key={a.id} class="item">
              <h4>{t.date(a.assessedOn)}</h4>
              <Facts
                pairs={[
                  [L('findings'), txt(a.findings)],
                  [L('conditions'), a.conditions.length ? txt(a.conditions.join(', ')) : null],
                  [L('treatmentPlan'), txt(a.treatmentPlan)],
                  [L('vaccination'), txt(a.vaccination)],
                  [L('disability'), txt(a.disability)],
                  [L('mentalHealthNotes'), txt(a.mentalHealthNotes)],
                  [L('followUpNeeded'), t.t(a.followUpNeeded ? 'common.yes' : 'common.no')],
                  [
                    L('fitForSchool'),
                    a.fitForSchool === null || a.fitForSchool === undefined ? null : t.t(a.fitForSchool ? 'common.yes' : 'common.no'),
                  ],
                  [L('accommodationsNeeded'), txt(a.accommodationsNeeded)],
                ]}
              />
              <p class="muted small">{by(a.agency, a.createdAt)}</p>
            </li>
          ))}
        </ol>
      );
    case 'educationProgressNotes':
      return (
        <ol class="items">
          {r.educationProgressNotes!.map((n) => (
            <li key={n.id} class="item">
              <h4>{t.date(n.notedOn)}</h4>
              <p>
                <Bdi>{n.note}</Bdi>
              </p>
              <p class="muted small">{by(n.agency, n.recordedAt)}</p>
            </li>
          ))}
        </ol>
      );
    case 'civilDocuments':
      return (
        <ol class="items">
          {r.civilDocuments!.map((c) => (
            <li key={c.id} class="item">
              <h4>
                {t.t(`common.enum.CivilDocumentType.${c.type}`)} — {t.t(`common.enum.CivilDocumentStatus.${c.status}`)}
              </h4>
              <Facts
                pairs={[
                  [L('number'), txt(c.number)],
                  [L('issuedOn'), d(c.issuedOn)],
                  [L('issuingAuthority'), txt(c.issuingAuthority)],
                  [L('appliedOn'), d(c.appliedOn)],
                  [L('notes'), txt(c.notes)],
                ]}
              />
              <p class="muted small">{by(c.agency, c.recordedAt)}</p>
            </li>
          ))}
        </ol>
      );
    case 'documentStatuses':
      return (
        <ul class="plain">
          {r.documentStatuses!.map((s) => (
            <li key={s.type}>
              {t.t(`common.enum.CivilDocumentType.${s.type}`)}: <strong>{t.t(`common.enum.CivilDocumentStatus.${s.status}`)}</strong>
              {s.lastChangedAt ? <span class="muted small"> ({t.dateTime(s.lastChangedAt)})</span> : null}
            </li>
          ))}
        </ul>
      );
    case 'socialSupport':
      return (
        <ol class="items">
          {r.socialSupport!.map((m) => (
            <li key={m.id} class="item">
              <h4>
                {t.t(`common.enum.SocialSupportKind.${m.kind}`)} — {t.date(m.startedOn)}
                {m.endedOn ? ` – ${t.date(m.endedOn)}` : ''}
              </h4>
              <Facts
                pairs={[
                  [L('description'), txt(m.description)],
                  [L('provider'), txt(m.provider)],
                  [L('decidingAuthority'), txt(m.decidingAuthority)],
                  [L('guardianName'), txt(m.guardianName)],
                ]}
              />
              <p class="muted small">{by(m.agency, m.recordedAt)}</p>
            </li>
          ))}
        </ol>
      );
    case 'supportSessions':
      return (
        <ol class="items">
          {r.supportSessions!.map((s) => (
            <li key={s.id} class="item">
              <h4>
                {t.t(`common.enum.SupportSessionKind.${s.kind}`)} — {t.date(s.startedOn)}
                {s.endedOn ? ` – ${t.date(s.endedOn)}` : ''}
              </h4>
              <Facts
                pairs={[
                  [L('place'), txt(s.place)],
                  [L('notes'), txt(s.notes)],
                  [L('riskNotes'), txt(s.riskNotes)],
                ]}
              />
              <p class="muted small">{by(s.agency, s.recordedAt)}</p>
            </li>
          ))}
        </ol>
      );
    default:
      return null;
  }
}
