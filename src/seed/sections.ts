import type { AgencyPlan, CaseAgency } from './agencies';
import type { Row } from './bulk';
import type { Country } from './names';
import { addDays, daysBetween, maxDate, minDate, officeTimestamp, Prng } from './prng';
import {
  BENEFITS,
  CENTRE,
  COURSES,
  documentNumber,
  HOUSING,
  issuingAuthority,
  JOBS,
  NOTES_ON_LOSS,
  PROGRESS_NOTES,
  RISK_NOTES,
  SESSION_NOTES,
  SPECIAL_CLASSES,
  STATE_LANGUAGE,
  STAY_NOTES,
} from './section-content';

/**
 * Demo data for the education, documents, social-support and psychosocial sections. A
 * section is filled only where its owning agency has the record (registered it or holds a
 * case access), as in real use. Draws come from streams of their own, so adding sections
 * changed none of the names, dates or ids the seed generated before.
 *
 * - children with an education agency: literacy, languages, classes, enrolment (literacy
 *   classes after a recent return, boarding schools in Tajikistan), progress notes;
 * - with a social agency: passports and ID cards (adults), birth certificates (children),
 *   MISSING, APPLIED or ISSUED depending on time since return, an issued one keeping its
 *   application as the superseded version; benefits, jobs, courses, housing; for orphans the
 *   guardianship decision naming the appointed relative;
 * - with an NGO: a rehabilitation-centre stay of three to eight weeks, then counselling,
 *   group, religious-counselling and family-mediation sessions, and the engagement status.
 */
export interface SectionRows {
  caseAccesses: Row[];
  educationProgressNotes: Row[];
  civilDocuments: Row[];
  socialSupportMeasures: Row[];
  supportSessions: Row[];
}

export interface SectionPerson {
  /** The returnee row: section columns are set on it. */
  row: Row;
  country: Country;
  region: string;
  district: string;
  /** The real birth date (the row may hold an estimate rounded to 1 January). */
  birth: string;
  returnedOn: string;
  registeredOn: string;
  child: boolean;
  bornAbroad: boolean;
}

const LEVELS = ['NONE', 'BASIC', 'FUNCTIONAL', 'FLUENT'] as const;

const years = (from: string, to: string) => Math.floor(daysBetween(from, to) / 365.25);

export class SectionGenerator {
  private readonly rng: Prng;
  private readonly ids: Prng;
  /** Nothing is dated on or after the reference date ("today" of the demo data). */
  private readonly lastDay: string;

  constructor(
    seed: number,
    private readonly plan: AgencyPlan,
    referenceDate: string,
  ) {
    this.rng = new Prng(seed, 'sections');
    this.ids = new Prng(seed, 'section-ids');
    this.lastDay = addDays(referenceDate, -1);
  }

  /** Call right after the person's case accesses were appended to `batch`. */
  fill(batch: SectionRows, p: SectionPerson): void {
    const agencies = this.plan.byCountry[p.country];
    const holders = new Set([p.row.registering_agency_id as string]);
    for (let i = batch.caseAccesses.length - 1; i >= 0 && batch.caseAccesses[i].returnee_id === p.row.id; i--) {
      holders.add(batch.caseAccesses[i].agency_id as string);
    }
    if (p.child && holders.has(agencies.EDUCATION.id)) this.education(batch, p, agencies.EDUCATION);
    if (holders.has(agencies.SOCIAL.id)) {
      this.documents(batch, p, agencies.SOCIAL);
      this.support(batch, p, agencies.SOCIAL);
    }
    if (holders.has(agencies.NGO.id)) this.psychosocial(batch, p, agencies.NGO);
  }

  private by(agency: CaseAgency, on: string): Row {
    return { agency_id: agency.id, recorded_by_id: agency.caseworkerId, recorded_at: officeTimestamp(this.rng, on) };
  }

  private touch(row: Row, timestamp: string): void {
    row.updated_at = maxDate(row.updated_at as string, timestamp);
  }

  private education(batch: SectionRows, p: SectionPerson, edu: CaseAgency): void {
    const rng = this.rng;
    const row = p.row;
    const age = years(p.birth, this.lastDay);
    const since = daysBetween(p.returnedOn, this.lastDay);
    row.languages = [STATE_LANGUAGE[p.country], 'Russian', ...(p.bornAbroad && rng.chance(0.6) ? ['Arabic'] : [])];
    if (age < 6) {
      row.enrolment_status = rng.chance(0.6) ? 'ENROLLED' : 'NOT_ENROLLED';
      if (row.enrolment_status === 'ENROLLED') row.school = `Kindergarten No. ${rng.int(2, 90)}, ${p.district}`;
      return;
    }
    let level = rng.weighted([0, 1, 2, 3], (l) => [35, 40, 20, 5][l]);
    if (since > 730 && level < 3 && rng.chance(0.6)) level++;
    row.literacy_level = LEVELS[level];
    const classes = level <= 1 ? [`${STATE_LANGUAGE[p.country]} literacy class`] : [];
    if (rng.chance(0.35)) classes.push(rng.pick(SPECIAL_CLASSES));
    row.special_classes = classes.length > 0 ? classes : null;
    Object.assign(row, this.enrolment(p, age, since));
    let day = addDays(p.registeredOn, rng.int(30, 90));
    for (let n = rng.int(1, 3); n > 0 && day <= this.lastDay; n--, day = addDays(day, rng.int(60, 240))) {
      const note: Row = { id: this.ids.uuid(), returnee_id: row.id, noted_on: day, note: rng.pick(PROGRESS_NOTES), ...this.by(edu, day) };
      batch.educationProgressNotes.push(note);
      this.touch(row, note.recorded_at as string);
    }
  }

  /** Literacy classes first after a recent return; Tajikistan also placed children in boarding schools. */
  private enrolment(p: SectionPerson, age: number, since: number): Row {
    const rng = this.rng;
    const school = `School No. ${rng.int(1, 120)}, ${p.district}`;
    const grade = String(Math.max(1, Math.min(11, age - 6 - rng.int(0, 2))));
    if (age >= 18) return { enrolment_status: 'COMPLETED', school, grade: '11' };
    if (since < 365 && rng.chance(0.7)) return { enrolment_status: 'LITERACY_CLASS', school, grade: 'preparatory' };
    if (p.country === 'TJ' && rng.chance(0.35)) {
      return { enrolment_status: 'BOARDING_SCHOOL', school: `Specialised boarding school No. ${rng.int(1, 4)}, ${p.region}`, grade };
    }
    return rng.chance(0.92) ? { enrolment_status: 'ENROLLED', school, grade } : { enrolment_status: 'NOT_ENROLLED' };
  }

  private documents(batch: SectionRows, p: SectionPerson, social: CaseAgency): void {
    const rng = this.rng;
    const types = p.child ? ['BIRTH_CERTIFICATE', ...(rng.chance(0.15) ? ['PASSPORT'] : [])] : ['PASSPORT', 'ID_CARD'];
    const issuedShare = Math.min(0.9, 0.25 + 0.3 * (daysBetween(p.returnedOn, this.lastDay) / 365));
    for (const type of types) {
      const roll = rng.next();
      const base = {
        returnee_id: p.row.id,
        type,
        number: null,
        issued_on: null,
        issuing_authority: null,
        applied_on: null,
        notes: null,
        superseded_at: null,
      };
      if (roll >= issuedShare + (1 - issuedShare) * 0.6) {
        // Missing: half the time recorded as such, otherwise simply nothing on file.
        if (rng.chance(0.5)) {
          const notes = p.bornAbroad && type === 'BIRTH_CERTIFICATE' ? NOTES_ON_LOSS[2] : rng.pick(NOTES_ON_LOSS.slice(0, 2));
          batch.civilDocuments.push({
            ...base,
            id: this.ids.uuid(),
            status: 'MISSING',
            notes,
            ...this.by(social, addDays(p.registeredOn, rng.int(0, 14))),
          });
        }
        continue;
      }
      const appliedOn = minDate(addDays(p.registeredOn, rng.int(7, 90)), this.lastDay);
      const applied: Row = {
        ...base,
        id: this.ids.uuid(),
        status: 'APPLIED',
        applied_on: appliedOn,
        issuing_authority: issuingAuthority(p.country, p.region, type),
        ...this.by(social, appliedOn),
      };
      batch.civilDocuments.push(applied);
      const issuedOn = addDays(appliedOn, rng.int(30, 200));
      if (roll >= issuedShare || issuedOn > this.lastDay) continue;
      const issued: Row = {
        ...applied,
        id: this.ids.uuid(),
        status: 'ISSUED',
        issued_on: issuedOn,
        number: documentNumber(rng, p.country, type),
        notes: p.bornAbroad && type === 'BIRTH_CERTIFICATE' ? 'Issued after a court established the fact of birth (DNA test)' : null,
        ...this.by(social, issuedOn),
      };
      applied.superseded_at = issued.recorded_at;
      batch.civilDocuments.push(issued);
    }
  }

  private support(batch: SectionRows, p: SectionPerson, social: CaseAgency): void {
    const rng = this.rng;
    const add = (kind: string, description: string, startedOn: string, extra: Row = {}): void => {
      if (startedOn > this.lastDay) return;
      const ended = extra.ended_on as string | undefined;
      batch.socialSupportMeasures.push({
        id: this.ids.uuid(),
        returnee_id: p.row.id,
        kind,
        description,
        started_on: startedOn,
        provider: null,
        deciding_authority: null,
        guardian_name: null,
        ...extra,
        ended_on: ended && ended <= this.lastDay ? ended : null,
        ...this.by(social, startedOn),
      });
    };
    if (p.row.guardian_name) {
      const decided = addDays(p.registeredOn, rng.int(14, 90));
      add('GUARDIANSHIP_DECISION', `Guardianship established; ${p.row.guardian_relation as string}`, decided, {
        deciding_authority: `Guardianship and trusteeship authority, ${p.region}`,
        guardian_name: p.row.guardian_name,
      });
      add('BENEFIT', 'Guardianship allowance (monthly)', addDays(decided, rng.int(10, 40)));
      return;
    }
    if (p.child) return;
    if (rng.chance(0.8)) {
      const description = rng.pick(BENEFITS);
      const start = addDays(p.registeredOn, rng.int(7, 60));
      add('BENEFIT', description, start, { ended_on: description.startsWith('One-time') ? start : addDays(start, 365) });
    }
    if (rng.chance(0.3)) {
      const start = addDays(p.registeredOn, rng.int(60, 400));
      add('RETRAINING', rng.pick(COURSES), start, {
        ended_on: addDays(start, rng.int(60, 120)),
        provider: `Vocational training centre, ${p.region}`,
      });
    }
    if (rng.chance(0.35)) {
      const [description, provider] = rng.pick(JOBS);
      add('EMPLOYMENT', description, addDays(p.registeredOn, rng.int(180, 720)), { provider: `${provider}, ${p.district}` });
    }
    if (rng.chance(0.2)) {
      const [description, provider] = rng.pick(HOUSING);
      add('HOUSING', description, addDays(p.registeredOn, rng.int(30, 300)), { provider: `${provider}, ${p.district}` });
    }
  }

  private psychosocial(batch: SectionRows, p: SectionPerson, ngo: CaseAgency): void {
    const rng = this.rng;
    const sessions = batch.supportSessions;
    const before = sessions.length;
    const session = (kind: string, startedOn: string, endedOn: string | null, place: string | null, notes: string): Row => {
      const s = {
        id: this.ids.uuid(),
        returnee_id: p.row.id,
        kind,
        started_on: startedOn,
        ended_on: endedOn,
        place,
        notes,
        risk_notes: rng.chance(0.08) ? rng.pick(RISK_NOTES) : null,
        ...this.by(ngo, startedOn),
      };
      sessions.push(s);
      return s;
    };
    let day = addDays(p.registeredOn, rng.int(7, 30));
    let ongoing = false;
    if (rng.chance(0.85)) {
      const end = addDays(p.registeredOn, rng.int(21, 56));
      ongoing = end > this.lastDay;
      session('REHABILITATION_CENTRE_STAY', p.registeredOn, ongoing ? null : end, CENTRE[p.country], rng.pick(STAY_NOTES));
      day = end;
    }
    const kinds = p.child
      ? (['COUNSELLING', 'GROUP_SESSION'] as const)
      : (['COUNSELLING', 'GROUP_SESSION', 'RELIGIOUS_COUNSELLING', 'FAMILY_MEDIATION'] as const);
    for (let n = rng.int(0, p.child ? 3 : 6); n > 0; n--) {
      day = addDays(day, rng.int(14, 75));
      if (day > this.lastDay) break;
      const kind = rng.weighted(kinds, (k) => ({ COUNSELLING: 50, GROUP_SESSION: 20, RELIGIOUS_COUNSELLING: 20, FAMILY_MEDIATION: 10 })[k]);
      session(kind, day, day, kind === 'FAMILY_MEDIATION' ? null : CENTRE[p.country], rng.pick(SESSION_NOTES[kind]));
    }
    // Some adults stay in long-term counselling: a recent session keeps them engaged.
    const recent = addDays(this.lastDay, -rng.int(7, 80));
    if (!p.child && recent > day && rng.chance(0.2))
      session('COUNSELLING', recent, recent, CENTRE[p.country], rng.pick(SESSION_NOTES.COUNSELLING));
    const mine = sessions.slice(before);
    if (mine.length > 0) this.touch(p.row, mine[mine.length - 1].recorded_at as string);
    p.row.engagement_status = this.engagement(mine, ongoing);
  }

  /** Recent contact means engaged; after that, more sessions make completion likelier. */
  private engagement(sessions: Row[], ongoing: boolean): string {
    const last = sessions.at(-1);
    if (!last) return 'NOT_STARTED';
    if (ongoing || daysBetween(last.started_on as string, this.lastDay) < 90) return 'ENGAGED';
    const weights: [string, number][] =
      sessions.length >= 3
        ? [
            ['COMPLETED', 50],
            ['IRREGULAR', 25],
            ['DISENGAGED', 25],
          ]
        : [
            ['COMPLETED', 30],
            ['IRREGULAR', 35],
            ['DISENGAGED', 35],
          ];
    return this.rng.weighted(weights, (e) => e[1])[0];
  }
}
