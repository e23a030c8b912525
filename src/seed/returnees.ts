import type { AgencyPlan, CaseAgency } from './agencies';
import type { Row } from './bulk';
import {
  fakeAddress,
  fakePhone,
  pickDistrict,
  pickRegion,
  pickReturn,
  placeOfBirthAbroad,
  placeOfBirthAtHome,
  type Return,
} from './geography';
import { firstAssessment, followUpAssessment, type AssessmentContent } from './health';
import {
  COUNTRIES,
  familyNameBase,
  familyNameFor,
  fatherName,
  givenName,
  otherNamesFor,
  patronymicFor,
  type Country,
  type Name,
  type Sex,
} from './names';
import { addDays, maxDate, minDate, officeTimestamp, Prng, randomDate } from './prng';
import { registerFamilyAgain, type Original } from './duplicates';
import { SectionGenerator, type SectionRows } from './sections';

/**
 * Generates returnees family by family, in one deterministic sequence per seed: a mother
 * followed by her children, a woman who came back alone, or orphaned siblings placed with a
 * relative. Generating whole families (rather than independent people) is what lets
 * children point at their mother and share her region, wave and registering agency.
 *
 * Proportions follow the real repatriations: about 60% children, about one child in ten
 * without a parent in the data set.
 */

/** "Today" for the demo data: statuses and follow-up dates are relative to it. */
export const REFERENCE_DATE = '2026-11-01';

// Relative size of each country's returnee population.
const COUNTRY_WEIGHT: Record<Country, number> = { KZ: 35, UZ: 27, TJ: 20, KG: 18 };

type FamilyKind = 'MOTHER_WITH_CHILDREN' | 'WOMAN_ALONE' | 'ORPHANS';
const FAMILY_KINDS: readonly [FamilyKind, number][] = [
  ['MOTHER_WITH_CHILDREN', 60],
  ['WOMAN_ALONE', 38],
  ['ORPHANS', 2],
];

const GUARDIANS: readonly { relation: string; sex: Sex; paternal: boolean }[] = [
  { relation: 'grandmother', sex: 'FEMALE', paternal: false },
  { relation: 'grandmother', sex: 'FEMALE', paternal: true },
  { relation: 'grandfather', sex: 'MALE', paternal: true },
  { relation: 'aunt', sex: 'FEMALE', paternal: false },
  { relation: 'uncle', sex: 'MALE', paternal: true },
];

export interface Batch extends SectionRows {
  returnees: Row[];
  healthAssessments: Row[];
  /** Planted duplicates (duplicates.ts): [the first registration's id, the second's]. */
  duplicates: [string, string][];
}

/** What all members of one family share. */
interface Household {
  country: Country;
  ret: Return;
  region: string;
  district: string;
  address: string;
  registrar: CaseAgency;
  /** The SOCIAL or NGO agency that did not register the family, when it was referred there too. */
  otherAgency?: { agency: CaseAgency; reason: string };
  base: Name;
  father: Name | undefined;
  departed: string;
  registeredOn: string;
  status: string;
  /** Given names already used in the family: siblings do not share one. */
  givenNames: Set<string>;
}

export class ReturneeGenerator {
  private readonly rng: Prng;
  /** Ids come from their own stream, so adding a field to the generator does not change ids. */
  private readonly ids: Prng;
  private readonly sequences: Map<string, number>;
  private readonly sections: SectionGenerator;

  /** `lastSequence` maps a case-number prefix (`KZ-2019`) to the highest sequence already used. */
  /** Streams of their own for planted duplicates: the originals do not depend on the rate. */
  private readonly dups: Prng;
  private readonly dupIds: Prng;

  /** `duplicateRate`: the share of families registered a second time by another agency. */
  constructor(
    seed: number,
    private readonly plan: AgencyPlan,
    lastSequence: ReadonlyMap<string, number>,
    private readonly duplicateRate = 0,
  ) {
    this.rng = new Prng(seed, 'returnees');
    this.dups = new Prng(seed, 'duplicates');
    this.dupIds = new Prng(seed, 'duplicate-ids');
    this.ids = new Prng(seed, 'returnee-ids');
    this.sequences = new Map(lastSequence);
    this.sections = new SectionGenerator(seed, plan, REFERENCE_DATE);
  }

  /** Yields batches of about `chunk` returnees (whole families) until `total` are generated. */
  *batches(total: number, chunk: number): Generator<Batch> {
    let remaining = total;
    while (remaining > 0) {
      const batch: Batch = {
        returnees: [],
        healthAssessments: [],
        duplicates: [],
        caseAccesses: [],
        educationProgressNotes: [],
        civilDocuments: [],
        socialSupportMeasures: [],
        supportSessions: [],
      };
      const target = Math.min(chunk, remaining);
      while (batch.returnees.length < target) this.family(batch, target - batch.returnees.length);
      remaining -= batch.returnees.length;
      yield batch;
    }
  }

  /** Appends one family of at most `room` people to the batch. */
  private family(batch: Batch, room: number): void {
    const rng = this.rng;
    const h = this.household();
    const kind: FamilyKind = h.ret.childrenOnly ? 'ORPHANS' : rng.weighted(FAMILY_KINDS, (k) => k[1])[0];
    const childCount =
      kind === 'WOMAN_ALONE'
        ? 0
        : kind === 'ORPHANS'
          ? rng.weighted(
              [
                [1, 4],
                [2, 4],
                [3, 2],
              ],
              (k) => k[1],
            )[0]
          : rng.weighted(
              [
                [1, 30],
                [2, 30],
                [3, 25],
                [4, 15],
              ],
              (k) => k[1],
            )[0];
    const births = this.childBirths(h.ret.returnedOn, childCount);

    const members: Original[] = [];
    let motherId: string | undefined;
    if (kind !== 'ORPHANS') {
      // Her age at the first birth is 18-28, so she is an adult and at most 45 on return.
      const dob =
        births.length > 0 ? addDays(births[0], -rng.int(18 * 365, 28 * 365)) : addDays(h.ret.returnedOn, -rng.int(18 * 365 + 5, 45 * 365));
      members.push(this.person(batch, h, 'FEMALE', dob, { adult: true }));
      motherId = members[0].row.id as string;
      room--;
    }
    if (kind === 'ORPHANS') {
      const g = rng.pick(GUARDIANS);
      const gFamily = g.paternal ? h.base : familyNameBase(rng, h.country);
      const guardianName = `${givenName(rng, h.country, g.sex).latin} ${familyNameFor(gFamily, g.sex).latin}`;
      const relation = `${g.relation} (appointed by ${h.region} guardianship authority)`;
      const phone = fakePhone(rng, h.country);
      for (const birth of births.slice(0, room)) {
        members.push(
          this.person(batch, h, rng.chance(0.5) ? 'FEMALE' : 'MALE', birth, { guardianName, relation, phone, status: 'IN_CARE' }),
        );
      }
      this.duplicate(batch, h, members, room - members.length, false);
      return;
    }
    for (const birth of births.slice(0, room)) {
      members.push(this.person(batch, h, rng.chance(0.5) ? 'FEMALE' : 'MALE', birth, { motherId }));
    }
    this.duplicate(batch, h, members, room - members.length + 1, kind === 'WOMAN_ALONE');
  }

  /** With probability `duplicateRate`, the whole family registered again (duplicates.ts). */
  private duplicate(batch: Batch, h: Household, members: Original[], room: number, alone: boolean): void {
    if (this.duplicateRate <= 0 || members.length === 0 || members.length > room || !this.dups.chance(this.duplicateRate)) return;
    const agencies = this.plan.byCountry[h.country];
    registerFamilyAgain(batch, members, {
      rng: this.dups,
      ids: this.dupIds,
      country: h.country,
      alone,
      registeredOn: h.registeredOn,
      referenceDate: REFERENCE_DATE,
      second: h.registrar.id === agencies.SOCIAL.id ? agencies.NGO : agencies.SOCIAL,
      health: agencies.HEALTH,
      caseNumber: () => this.caseNumber(h.country, h.ret.returnedOn),
    });
  }

  private household(): Household {
    const rng = this.rng;
    const country = rng.weighted(COUNTRIES, (c) => COUNTRY_WEIGHT[c]);
    const ret = pickReturn(rng, country);
    const region = pickRegion(rng, country);
    const agencies = this.plan.byCountry[country];
    const byNgo = rng.chance(0.3);
    const other = byNgo
      ? { agency: agencies.SOCIAL, reason: 'Referred for social benefits and restoration of civil documents' }
      : { agency: agencies.NGO, reason: 'Referred for psychosocial support at the rehabilitation centre' };
    // Registration happens within days of arrival, during the stay in a rehabilitation centre.
    const registeredOn = addDays(ret.returnedOn, rng.int(0, 3));
    const recent = ret.returnedOn >= addDays(REFERENCE_DATE, -365);
    const status =
      recent && rng.chance(0.4)
        ? 'IN_REHABILITATION'
        : rng.weighted(
            [
              ['RESETTLED', 82],
              ['IN_REHABILITATION', 10],
              ['TRANSFERRED', 5],
              ['CLOSED', 3],
            ] as const,
            (s) => s[1],
          )[0];
    return {
      country,
      ret,
      region,
      district: pickDistrict(rng, country, region),
      address: fakeAddress(rng, country),
      registrar: byNgo ? agencies.NGO : agencies.SOCIAL,
      otherAgency: rng.chance(0.3) ? other : undefined,
      base: familyNameBase(rng, country),
      father: rng.chance(0.5) ? fatherName(rng, country) : undefined,
      departed: randomDate(rng, '2013-06-01', '2016-06-30'),
      registeredOn,
      status,
      givenNames: new Set(),
    };
  }

  /**
   * Birth dates, oldest first: the youngest born up to 7 years before return, siblings 1-4
   * years apart, none older than 17 on return, even once an estimated date is rounded down to
   * 1 January (17 × 365 + 364 days is still short of 18 years).
   */
  private childBirths(returnedOn: string, count: number): string[] {
    const rng = this.rng;
    const oldestAllowed = addDays(returnedOn, -17 * 365);
    const births: string[] = [];
    let birth = addDays(returnedOn, -rng.int(30, 7 * 365));
    for (let i = 0; i < count && birth >= oldestAllowed; i++) {
      births.unshift(birth);
      birth = addDays(birth, -rng.int(400, 1400));
    }
    return births;
  }

  private person(
    batch: Batch,
    h: Household,
    sex: Sex,
    birth: string,
    opts: { adult?: boolean; motherId?: string; guardianName?: string; relation?: string; phone?: string; status?: string },
  ): Original {
    const rng = this.rng;
    const id = this.ids.uuid();
    let given = givenName(rng, h.country, sex);
    for (let tries = 0; h.givenNames.has(given.latin) && tries < 20; tries++) given = givenName(rng, h.country, sex);
    h.givenNames.add(given.latin);
    const family = familyNameFor(h.base, sex);
    const child = opts.adult !== true;
    const bornAbroad = child && birth >= h.departed;
    // Children born in the camps rarely have a birth certificate: their age is an estimate.
    const estimated = bornAbroad && rng.chance(0.3);
    const dateOfBirth = estimated ? `${birth.slice(0, 4)}-01-01` : birth;
    const createdAt = officeTimestamp(rng, h.registeredOn);
    const patronymicFather = child ? h.father : rng.chance(0.5) ? fatherName(rng, h.country) : undefined;

    const health = rng.chance(0.8) ? this.assessments(batch, id, h, child) : undefined;
    const row: Row = {
      id,
      version: 1,
      registering_agency_id: h.registrar.id,
      country: h.country,
      created_at: createdAt,
      updated_at: health ? maxDate(createdAt, health.lastRecordedAt) : createdAt,
      case_number: this.caseNumber(h.country, h.ret.returnedOn),
      given_name: given.latin,
      family_name: family.latin,
      patronymic: patronymicFather ? patronymicFor(h.country, patronymicFather, sex) : null,
      other_names: otherNamesFor(given, family),
      sex,
      date_of_birth: dateOfBirth,
      date_of_birth_estimated: estimated,
      place_of_birth: bornAbroad ? placeOfBirthAbroad(rng, h.ret.returnedFrom, birth) : placeOfBirthAtHome(h.country, h.region),
      citizenship: h.country,
      returned_on: h.ret.returnedOn,
      returned_from: h.ret.returnedFrom,
      status: opts.status ?? h.status,
      region: h.region,
      district: h.district,
      address: h.address,
      phone: opts.adult ? (rng.chance(0.9) ? fakePhone(rng, h.country) : null) : (opts.phone ?? null),
      guardian_returnee_id: opts.motherId ?? null,
      guardian_name: opts.guardianName ?? null,
      guardian_relation: opts.relation ?? null,
      follow_up_needed: health ? health.latest.followUpNeeded : null,
      fit_for_school: health ? health.latest.fitForSchool : null,
      accommodations_needed: health ? health.latest.accommodationsNeeded : null,
    };
    batch.returnees.push(row);
    this.caseAccesses(batch, id, h, child ? birth : undefined);
    this.sections.fill(batch, {
      row,
      country: h.country,
      region: h.region,
      district: h.district,
      birth,
      returnedOn: h.ret.returnedOn,
      registeredOn: h.registeredOn,
      child,
      bornAbroad,
    });
    return { row, given, family, father: patronymicFather, adult: opts.adult === true };
  }

  /** `KZ-2019-000123`: country, year of return, a sequence per country and year. */
  private caseNumber(country: Country, returnedOn: string): string {
    const prefix = `${country}-${returnedOn.slice(0, 4)}`;
    const seq = (this.sequences.get(prefix) ?? 0) + 1;
    this.sequences.set(prefix, seq);
    return `${prefix}-${String(seq).padStart(6, '0')}`;
  }

  private caseAccesses(batch: Batch, returneeId: string, h: Household, childBirth: string | undefined): void {
    const rng = this.rng;
    const agencies = this.plan.byCountry[h.country];
    const grant = (agency: CaseAgency, reason: string): void => {
      batch.caseAccesses.push({
        id: this.ids.uuid(),
        returnee_id: returneeId,
        agency_id: agency.id,
        basis: 'REFERRAL',
        cross_border: false,
        reason,
        granted_by_id: h.registrar.supervisorId,
        granted_at: officeTimestamp(rng, h.registeredOn),
      });
    };
    grant(agencies.HEALTH, 'Referred for health screening after repatriation');
    if (childBirth !== undefined) {
      const schoolAge = childBirth <= addDays(h.ret.returnedOn, -6 * 365);
      if (rng.chance(schoolAge ? 0.65 : 0.35)) {
        grant(
          agencies.EDUCATION,
          schoolAge
            ? rng.pick(['Referred for school placement assessment', 'Referred for literacy classes before school enrolment'])
            : 'Referred for kindergarten placement',
        );
      }
    }
    if (h.otherAgency) grant(h.otherAgency.agency, h.otherAgency.reason);
  }

  /** One or two assessments by the country's HEALTH agency; returns the latest for the record's flags. */
  private assessments(
    batch: Batch,
    returneeId: string,
    h: Household,
    child: boolean,
  ): { latest: AssessmentContent; lastRecordedAt: string } {
    const rng = this.rng;
    const health = this.plan.byCountry[h.country].HEALTH;
    const push = (on: string, a: AssessmentContent): string => {
      const createdAt = officeTimestamp(rng, on);
      batch.healthAssessments.push({
        id: this.ids.uuid(),
        returnee_id: returneeId,
        agency_id: health.id,
        recorded_by_id: health.caseworkerId,
        assessed_on: on,
        findings: a.findings,
        conditions: a.conditions,
        treatment_plan: a.treatmentPlan,
        vaccination: a.vaccination,
        disability: a.disability,
        mental_health_notes: a.mentalHealthNotes,
        follow_up_needed: a.followUpNeeded,
        fit_for_school: a.fitForSchool,
        accommodations_needed: a.accommodationsNeeded,
        created_at: createdAt,
      });
      return createdAt;
    };
    // First screening during the weeks in the rehabilitation centre.
    const firstOn = addDays(h.registeredOn, rng.int(1, 21));
    const first = firstAssessment(rng, child);
    let lastRecordedAt = push(firstOn, first);
    if (!first.followUpNeeded || !rng.chance(0.6)) return { latest: first, lastRecordedAt };
    const secondOn = minDate(addDays(firstOn, rng.int(60, 300)), addDays(REFERENCE_DATE, -1));
    const second = followUpAssessment(rng, first, child);
    lastRecordedAt = push(secondOn, second);
    return { latest: second, lastRecordedAt };
  }
}
