import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { POLICIES } from '../../policies';
import { Agency } from '../../src/agency/agency.entity';
import { CivilDocument } from '../../src/documents/civil-document.entity';
import { EducationProgressNote } from '../../src/education/education-progress-note.entity';
import { SupportSession } from '../../src/psychosocial/support-session.entity';
import { Returnee } from '../../src/returnee/returnee.entity';
import { SocialSupportMeasure } from '../../src/social-support/social-support-measure.entity';
import { StaffMember } from '../../src/staff/staff.entity';
import { ROW_TABLES, snakeCase } from '../../src/sections/registry';
import type { StaffFixture } from './factories';
import { sqlClient } from './hub';

/**
 * Section rows written straight through the ORM (fixtures for read tests, not behaviour under
 * test), and raw looks at the section tables for assertions that nothing was written.
 */
function refs(orm: MikroORM, returnee: Returnee, by: StaffFixture) {
  const em = orm.em.fork();
  return {
    em,
    returnee: em.getReference(Returnee, returnee.id, { wrapped: true }),
    agency: em.getReference(Agency, by.agency.id, { wrapped: true }),
    recordedBy: em.getReference(StaffMember, by.staff.id, { wrapped: true }),
  };
}

/** One of every section's rows plus the section columns: a record with all sections filled. */
export async function fillSections(
  orm: MikroORM,
  returnee: Returnee,
  by: Record<'EDUCATION' | 'SOCIAL' | 'NGO', StaffFixture>,
  values: { number?: string; benefit?: string; riskNotes?: string } = {},
): Promise<void> {
  const edu = refs(orm, returnee, by.EDUCATION);
  await edu.em.persist(new EducationProgressNote({ ...edu, notedOn: '2024-03-01', note: 'Reads simple words in Kazakh' })).flush();
  const soc = refs(orm, returnee, by.SOCIAL);
  const passport = new CivilDocument({ ...soc, type: 'PASSPORT', status: 'ISSUED' });
  Object.assign(passport, { number: values.number ?? 'N12345678', issuedOn: '2020-02-01', issuingAuthority: 'Migration Service, Aqtobe' });
  const benefit = new SocialSupportMeasure({
    ...soc,
    kind: 'BENEFIT',
    description: values.benefit ?? 'Targeted social assistance',
    startedOn: '2020-01-15',
  });
  await soc.em.persist([passport, benefit]).flush();
  const ngo = refs(orm, returnee, by.NGO);
  const stay = new SupportSession({ ...ngo, kind: 'REHABILITATION_CENTRE_STAY', startedOn: '2019-06-01' });
  Object.assign(stay, {
    endedOn: '2019-07-13',
    place: 'Aqtobe rehabilitation centre',
    riskNotes: values.riskNotes ?? 'Harassed by neighbours',
  });
  await ngo.em.persist(stay).flush();
  const em = orm.em.fork();
  await em.nativeUpdate(
    Returnee,
    { id: returnee.id },
    {
      literacyLevel: 'BASIC',
      languages: ['Kazakh'],
      specialClasses: ['State-language class'],
      enrolmentStatus: 'LITERACY_CLASS',
      school: 'School No. 12, Aqtobe',
      grade: '2',
      engagementStatus: 'ENGAGED',
    },
  );
  await fillDeclaredRows(orm, returnee, by);
}

/** The row fields filled above by hand; any other declared row section gets a row from its declaration. */
const FILLED_BY_HAND = new Set(['healthAssessments', 'educationProgressNotes', 'civilDocuments', 'socialSupport', 'supportSessions']);

/**
 * A row for each section declared in src/sections/ that the fixture above does not know: its
 * declared example input with a marker in its free-text column, recorded by the sector whose
 * policy writes it. A new section's read cases then find it filled without editing this file.
 */
async function fillDeclaredRows(orm: MikroORM, returnee: Returnee, by: Record<string, StaffFixture>): Promise<void> {
  for (const t of ROW_TABLES.filter((r) => !FILLED_BY_HAND.has(r.field))) {
    if (!t.write) throw new Error(`fillSections: ${t.field} declares no write (src/sections/): nothing to fill it with`);
    const writer = Object.values(POLICIES).find((p) => p.sections[t.section] === 'write' && by[p.sector]);
    if (!writer) throw new Error(`fillSections: no sector in the fixture writes ${t.section}`);
    const owner = by[writer.sector];
    const values: Record<string, unknown> = { ...t.write.example, [t.write.marker]: `Filled ${t.field}` };
    const row: Record<string, unknown> = {
      id: randomUUID(),
      returnee_id: returnee.id,
      agency_id: owner.agency.id,
      recorded_by_id: owner.staff.id,
    };
    for (const [field, value] of Object.entries(values)) row[snakeCase(field)] = value;
    row[snakeCase(t.stamp)] = new Date();
    const columns = Object.keys(row);
    await orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into ${t.table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        columns.map((c) => row[c]),
      );
  }
}

/** Rows of a section table for one returnee, oldest first. */
export async function sectionRows(
  table: 'education_progress_note' | 'civil_document' | 'social_support_measure' | 'support_session',
  returneeId: string,
) {
  const client = await sqlClient();
  try {
    return (await client.query(`select * from ${table} where returnee_id = $1 order by recorded_at, id`, [returneeId])).rows;
  } finally {
    await client.end();
  }
}

export async function returneeRow(id: string) {
  const client = await sqlClient();
  try {
    return (await client.query('select * from returnee where id = $1', [id])).rows[0];
  } finally {
    await client.end();
  }
}

export async function revisionsOf(id: string) {
  const client = await sqlClient();
  try {
    return (await client.query('select version, fields, previous from returnee_revision where returnee_id = $1 order by id', [id])).rows;
  } finally {
    await client.end();
  }
}
