import { useState } from 'preact/hooks';
import {
  RecordCivilDocumentDocument,
  RecordHealthAssessmentDocument,
  RecordSocialSupportDocument,
  RecordSupportSessionDocument,
  UpdateEducationDocument,
  UpdateReturneeDocument,
  type ReturneeRecordFragment,
} from '../api/generated';
import { useT } from '../shared/i18n';
import { useApp } from './context';
import type { RecordSection } from './sections';
import { buildInput, SpecForm, toFormValues, type FieldSpec, type FormValues } from './spec-form';

type Record = ReturneeRecordFragment;
const today = () => new Date().toISOString().slice(0, 10);

const ENUMS = {
  Sex: ['FEMALE', 'MALE'],
  ReturneeStatus: ['IN_REHABILITATION', 'RESETTLED', 'IN_CARE', 'TRANSFERRED', 'CLOSED'],
  LiteracyLevel: ['NONE', 'BASIC', 'FUNCTIONAL', 'FLUENT'],
  EnrolmentStatus: ['NOT_ENROLLED', 'LITERACY_CLASS', 'ENROLLED', 'BOARDING_SCHOOL', 'COMPLETED'],
  CivilDocumentType: ['PASSPORT', 'BIRTH_CERTIFICATE', 'ID_CARD'],
  CivilDocumentStatus: ['MISSING', 'APPLIED', 'ISSUED'],
  SocialSupportKind: ['BENEFIT', 'EMPLOYMENT', 'RETRAINING', 'HOUSING', 'GUARDIANSHIP_DECISION'],
  SupportSessionKind: ['COUNSELLING', 'GROUP_SESSION', 'REHABILITATION_CENTRE_STAY', 'RELIGIOUS_COUNSELLING', 'FAMILY_MEDIATION'],
  EngagementStatus: ['NOT_STARTED', 'ENGAGED', 'IRREGULAR', 'COMPLETED', 'DISENGAGED'],
} as const;
const en = (name: string, enumType: keyof typeof ENUMS, required = false): FieldSpec => ({
  name,
  kind: 'enum',
  enumType,
  values: ENUMS[enumType],
  required,
});

/** The write forms, one per kind of work; which appear is decided by `me.writableSections`. */
const FORMS: { [id: string]: { section: RecordSection; edit: boolean; specs: FieldSpec[] } } = {
  assessment: {
    section: 'HEALTH',
    edit: false,
    specs: [
      { name: 'assessedOn', kind: 'date', required: true },
      { name: 'findings', kind: 'textarea', required: true },
      { name: 'conditions', kind: 'list' },
      { name: 'treatmentPlan', kind: 'textarea' },
      { name: 'vaccination', kind: 'text' },
      { name: 'disability', kind: 'text' },
      { name: 'mentalHealthNotes', kind: 'textarea' },
      { name: 'followUpNeeded', kind: 'bool' },
      { name: 'fitForSchool', kind: 'tri' },
      { name: 'accommodationsNeeded', kind: 'text' },
    ],
  },
  flags: {
    section: 'HEALTH_FLAGS',
    edit: true,
    specs: [
      { name: 'followUpNeeded', kind: 'tri' },
      { name: 'fitForSchool', kind: 'tri' },
      { name: 'accommodationsNeeded', kind: 'text' },
    ],
  },
  identity: {
    section: 'IDENTITY',
    edit: true,
    specs: [
      { name: 'givenName', kind: 'text' },
      { name: 'familyName', kind: 'text' },
      { name: 'patronymic', kind: 'text' },
      { name: 'otherNames', kind: 'list' },
      en('sex', 'Sex'),
      { name: 'dateOfBirth', kind: 'date' },
      { name: 'dateOfBirthEstimated', kind: 'bool' },
      { name: 'placeOfBirth', kind: 'text' },
      { name: 'citizenship', kind: 'text' },
      { name: 'returnedOn', kind: 'date' },
      { name: 'returnedFrom', kind: 'text' },
      en('status', 'ReturneeStatus'),
    ],
  },
  contact: {
    section: 'CONTACT',
    edit: true,
    specs: [
      { name: 'region', kind: 'text' },
      { name: 'district', kind: 'text' },
      { name: 'address', kind: 'text' },
      { name: 'phone', kind: 'text' },
      { name: 'guardianName', kind: 'text' },
      { name: 'guardianRelation', kind: 'text' },
      { name: 'guardianReturneeId', kind: 'text' },
    ],
  },
  education: {
    section: 'EDUCATION',
    edit: true,
    specs: [
      en('literacyLevel', 'LiteracyLevel'),
      { name: 'languages', kind: 'list' },
      { name: 'specialClasses', kind: 'list' },
      en('enrolmentStatus', 'EnrolmentStatus'),
      { name: 'school', kind: 'text' },
      { name: 'grade', kind: 'text' },
      { name: 'progressNoteOn', kind: 'date' },
      { name: 'progressNote', kind: 'textarea' },
    ],
  },
  document: {
    section: 'DOCUMENTS',
    edit: false,
    specs: [
      en('type', 'CivilDocumentType', true),
      en('docStatus', 'CivilDocumentStatus', true),
      { name: 'number', kind: 'text' },
      { name: 'issuedOn', kind: 'date' },
      { name: 'issuingAuthority', kind: 'text' },
      { name: 'appliedOn', kind: 'date' },
      { name: 'notes', kind: 'textarea' },
    ],
  },
  support: {
    section: 'SOCIAL_SUPPORT',
    edit: false,
    specs: [
      en('kind', 'SocialSupportKind', true),
      { name: 'description', kind: 'textarea', required: true },
      { name: 'startedOn', kind: 'date', required: true },
      { name: 'endedOn', kind: 'date' },
      { name: 'provider', kind: 'text' },
      { name: 'decidingAuthority', kind: 'text' },
      { name: 'guardianName', kind: 'text' },
    ],
  },
  session: {
    section: 'PSYCHOSOCIAL',
    edit: false,
    specs: [
      en('sessionKind', 'SupportSessionKind', true),
      { name: 'startedOn', kind: 'date', required: true },
      { name: 'endedOn', kind: 'date' },
      { name: 'place', kind: 'text' },
      { name: 'notes', kind: 'textarea' },
      { name: 'riskNotes', kind: 'textarea' },
      en('engagementStatus', 'EngagementStatus'),
    ],
  },
};

/** Renames of form fields whose input name differs (two forms on one screen need distinct ids). */
const RENAME: { [k: string]: string } = { docStatus: 'status', sessionKind: 'kind' };
const ALIASES: { [form: string]: { [api: string]: string } } = { document: { status: 'docStatus' }, session: { kind: 'sessionKind' } };
const withToday = (specs: FieldSpec[]): FormValues => {
  const v = toFormValues(specs, {});
  for (const s of specs) if (s.required && s.kind === 'date') v[s.name] = today();
  return v;
};
const rename = (input: { [k: string]: unknown }) => Object.fromEntries(Object.entries(input).map(([k, v]) => [RENAME[k] ?? k, v]));

export function SectionForms(props: {
  section: RecordSection;
  record: Record;
  onChanged: (r: Record) => void;
  reload: () => Promise<Record | null>;
}) {
  const t = useT();
  const { gql } = useApp();
  const [open, setOpen] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const { record } = props;
  const ids = Object.keys(FORMS).filter((id) => FORMS[id].section === props.section);
  if (!ids.length) return null;

  const submit =
    (id: string) =>
    async (values: FormValues, idempotencyKey: string, version: number): Promise<Record> => {
      const f = FORMS[id];
      const input = rename(buildInput(f.specs, values, f.edit ? toFormValues(f.specs, record as never) : null));
      const o = { idempotencyKey };
      const v = { id: record.id };
      switch (id) {
        case 'assessment':
          return (await gql(RecordHealthAssessmentDocument, { ...v, input: { followUpNeeded: false, ...input } as never }, o))
            .recordHealthAssessment.returnee;
        case 'education': {
          const { progressNote, progressNoteOn, ...rest } = input as { progressNote?: string; progressNoteOn?: string };
          const withNote = progressNote ? { ...rest, progressNote: { note: progressNote, notedOn: progressNoteOn ?? today() } } : rest;
          return (await gql(UpdateEducationDocument, { ...v, expectedVersion: version, input: withNote as never }, o)).updateEducation
            .returnee;
        }
        case 'document':
          return (await gql(RecordCivilDocumentDocument, { ...v, input: input as never }, o)).recordCivilDocument.returnee;
        case 'support':
          return (await gql(RecordSocialSupportDocument, { ...v, input: input as never }, o)).recordSocialSupport.returnee;
        case 'session':
          return (await gql(RecordSupportSessionDocument, { ...v, input: input as never }, o)).recordSupportSession.returnee;
        default:
          return (await gql(UpdateReturneeDocument, { ...v, expectedVersion: version, input: input as never }, o)).updateReturnee.returnee;
      }
    };

  return (
    <div class="section-forms">
      {saved ? (
        <p class="alert ok" role="status">
          {t.t('app.form.saved')}
        </p>
      ) : null}
      {ids.map((id) =>
        open === id ? (
          <SpecForm
            key={id}
            id={`form-${id}`}
            title={t.t(`app.form.${id}.title`)}
            specs={FORMS[id].specs}
            version={record.version}
            initial={FORMS[id].edit ? toFormValues(FORMS[id].specs, record as never) : undefined}
            defaults={FORMS[id].edit ? undefined : withToday(FORMS[id].specs)}
            aliases={ALIASES[id]}
            submit={submit(id)}
            reload={props.reload}
            onDone={(r) => {
              setOpen(null);
              setSaved(id);
              props.onChanged(r);
            }}
            onCancel={() => setOpen(null)}
          />
        ) : (
          <button
            key={id}
            type="button"
            class="open-form"
            id={`open-${id}`}
            onClick={() => {
              setSaved(null);
              setOpen(id);
            }}
          >
            {t.t(`app.form.${id}.open`)}
          </button>
        ),
      )}
    </div>
  );
}
