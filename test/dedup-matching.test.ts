import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { makeSectorUser, type StaffFixture } from './support/factories';
import { gql, startHub } from './support/hub';

/**
 * Duplicate detection over HTTP (docs/matching.md): a caseworker registers a person as one agency
 * wrote them down, then asks about the person as another agency wrote them down. Each suite
 * registers with a fresh agency, so the records in scope are exactly the test's own.
 */
const REGISTER = `mutation($input: RegisterReturneeInput!) { registerReturnee(input: $input) { returnee { id caseNumber } } }`;
const CHECK = `query($input: DuplicateCheckInput!) { likelyDuplicates(input: $input) {
  complete candidates { score reasons { code weight fields } returnee { id caseNumber givenName familyName } } } }`;

let hub: HubServer;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(() => hub.stop());

export type Person = {
  givenName: string;
  familyName: string;
  patronymic?: string;
  sex: 'FEMALE' | 'MALE';
  dateOfBirth: string;
  dateOfBirthEstimated?: boolean;
  [field: string]: unknown;
};

async function register(user: StaffFixture, person: Person): Promise<{ id: string; caseNumber: string }> {
  const res = await gql(hub, user.token, REGISTER, { input: person });
  expect(res.errors).toBeUndefined();
  return res.data.registerReturnee.returnee;
}

async function check(user: StaffFixture, person: Partial<Person>) {
  const res = await gql(hub, user.token, CHECK, { input: person });
  expect(res.errors).toBeUndefined();
  return res.data.likelyDuplicates as {
    complete: boolean;
    candidates: { score: number; reasons: { code: string; fields: string[] }[]; returnee: { id: string } }[];
  };
}

/** [language, as registered, as asked about]: the same person in another script or spelling. */
const SAME_PERSON: [string, Person, Person][] = [
  [
    'Kazakh: Cyrillic ↔ Kazakh Latin 2021, patronymic surname',
    { givenName: 'Айгерим', familyName: 'Нурланова', sex: 'FEMALE', dateOfBirth: '1994-03-12' },
    { givenName: 'Ayğerim', familyName: 'Nurlanqyzy', sex: 'FEMALE', dateOfBirth: '1994-03-12' },
  ],
  [
    'Kazakh: Cyrillic ↔ passport Latin, year only',
    { givenName: 'Бауыржан', familyName: 'Жаксылыков', sex: 'MALE', dateOfBirth: '2012-07-30' },
    { givenName: 'Bauyrzhan', familyName: 'Zhaksylykov', sex: 'MALE', dateOfBirth: '2012-01-01', dateOfBirthEstimated: true },
  ],
  [
    'Kazakh: informal Latin (ye, ss, y) ↔ Cyrillic',
    { givenName: 'Yerlan', familyName: 'Yessimov', sex: 'MALE', dateOfBirth: '1988-11-02' },
    { givenName: 'Ерлан', familyName: 'Есимов', sex: 'MALE', dateOfBirth: '1988-02-11' },
  ],
  [
    'Kyrgyz: Cyrillic ↔ Latin with long vowels',
    { givenName: 'Айсулуу', familyName: 'Осмонова', sex: 'FEMALE', dateOfBirth: '1997-05-20' },
    { givenName: 'Aysulu', familyName: 'Osmonova', sex: 'FEMALE', dateOfBirth: '1997-05-20' },
  ],
  [
    'Kyrgyz: Latin -yev ↔ Cyrillic -ев, kyzy patronymic',
    { givenName: 'Syimyk', familyName: 'Abdyldayev', sex: 'MALE', dateOfBirth: '2010-01-01', dateOfBirthEstimated: true },
    { givenName: 'Сыймык', familyName: 'Абдылдаев', sex: 'MALE', dateOfBirth: '2010-09-14' },
  ],
  [
    'Tajik: Cyrillic ҷ қ ↔ Russian-passport Latin',
    { givenName: 'Ҷамшед', familyName: 'Қодирзода', sex: 'MALE', dateOfBirth: '1991-04-08' },
    { givenName: 'Dzhamshed', familyName: 'Kodirzoda', sex: 'MALE', dateOfBirth: '1991-04-08' },
  ],
  [
    'Tajik: Soviet -ova ↔ Tajik -zoda, ҳ ↔ kh',
    { givenName: 'Меҳрона', familyName: 'Раҳмонова', sex: 'FEMALE', dateOfBirth: '2015-06-01' },
    { givenName: 'Mekhrona', familyName: 'Rahmonzoda', sex: 'FEMALE', dateOfBirth: '2015-06-01' },
  ],
  [
    'Uzbek: Cyrillic ў ғ ↔ Uzbek Latin oʻ gʻ',
    { givenName: 'Улуғбек', familyName: 'Тошпўлатов', sex: 'MALE', dateOfBirth: '1986-12-25' },
    { givenName: "Ulug'bek", familyName: "Toshpo'latov", sex: 'MALE', dateOfBirth: '1986-12-25' },
  ],
  [
    'Uzbek: x ↔ kh ↔ Cyrillic х',
    { givenName: 'Shahnoza', familyName: 'Xolmatova', sex: 'FEMALE', dateOfBirth: '1999-08-17' },
    { givenName: 'Шаҳноза', familyName: 'Холматова', sex: 'FEMALE', dateOfBirth: '1999-01-01', dateOfBirthEstimated: true },
  ],
  [
    'Uzbek: yo/jo ↔ ё, j ↔ ж',
    { givenName: 'Ёқубжон', familyName: 'Юсупов', sex: 'MALE', dateOfBirth: '2016-03-03' },
    { givenName: 'Yoqubjon', familyName: 'Yusupov', sex: 'MALE', dateOfBirth: '2016-03-03' },
  ],
  [
    'Russian: ICAO passport (ia, iu) ↔ Cyrillic',
    { givenName: 'Юлия', familyName: 'Щербакова', sex: 'FEMALE', dateOfBirth: '1993-10-09' },
    { givenName: 'Iuliia', familyName: 'Shcherbakova', sex: 'FEMALE', dateOfBirth: '1993-10-09' },
  ],
  [
    'Russian: soft sign, ya/ia ↔ Cyrillic, names swapped',
    { givenName: 'Ильяс', familyName: 'Ахметов', sex: 'MALE', dateOfBirth: '2011-02-14' },
    { givenName: 'Akhmetov', familyName: 'Iliyas', sex: 'MALE', dateOfBirth: '2011-02-14' },
  ],
];

describe('transliteration families', () => {
  it.each(SAME_PERSON)('%s', async (_family, registered, asked) => {
    const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const known = await register(user, registered);
    const { candidates } = await check(user, asked);
    expect(candidates.map((c) => c.returnee.id)).toEqual([known.id]);
    expect(candidates[0].score).toBeGreaterThanOrEqual(0.5);
    expect(candidates[0].reasons.map((r) => r.code)).not.toContain('SEX_DIFFERS');
  });
});

/** [why not, as registered, as asked about]: different people who look alike. */
const DIFFERENT_PEOPLE: [string, Person, Person][] = [
  [
    'same given name, other family',
    { givenName: 'Айгерим', familyName: 'Нурланова', sex: 'FEMALE', dateOfBirth: '1994-03-12' },
    { givenName: 'Aigerim', familyName: 'Serikbayeva', sex: 'FEMALE', dateOfBirth: '1994-03-12' },
  ],
  [
    'sisters: same family, other given name',
    { givenName: 'Zarina', familyName: 'Karimova', sex: 'FEMALE', dateOfBirth: '2012-01-01', dateOfBirthEstimated: true },
    { givenName: 'Madina', familyName: 'Karimova', sex: 'FEMALE', dateOfBirth: '2012-01-01', dateOfBirthEstimated: true },
  ],
  [
    'same name, other sex and decade',
    { givenName: 'Aliya', familyName: 'Omarova', sex: 'FEMALE', dateOfBirth: '1979-06-30' },
    { givenName: 'Aliya', familyName: 'Omarova', sex: 'MALE', dateOfBirth: '2008-02-02' },
  ],
  [
    'names alike only by sound',
    { givenName: 'Zhanar', familyName: 'Bekova', sex: 'FEMALE', dateOfBirth: '1990-04-04' },
    { givenName: 'Dinara', familyName: 'Utepova', sex: 'FEMALE', dateOfBirth: '1990-04-04' },
  ],
];

describe('obvious non-matches', () => {
  it.each(DIFFERENT_PEOPLE)('%s', async (_why, registered, asked) => {
    const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
    await register(user, registered);
    expect((await check(user, asked)).candidates).toEqual([]);
  });
});

describe('what a check discloses and records', () => {
  it('lists the compared fields in one READ event per candidate, and names fields, never values, in reasons', async () => {
    const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const known = await register(user, {
      givenName: 'Gulnara',
      familyName: 'Iskakova',
      sex: 'FEMALE',
      dateOfBirth: '1985-07-07',
      placeOfBirth: 'Aqtobe',
    });
    const before = (await auditRowsFor(user.staff.id)).length;
    const res = await gql(hub, user.token, CHECK, {
      input: { givenName: 'Гульнара', familyName: 'Искакова', sex: 'FEMALE', dateOfBirth: '1985-07-07', placeOfBirth: 'Актобе' },
    });
    const [candidate] = res.data.likelyDuplicates.candidates;
    expect(candidate.reasons.map((r: { code: string }) => r.code)).toEqual(
      expect.arrayContaining(['GIVEN_NAME_EQUAL', 'FAMILY_NAME_EQUAL', 'DATE_OF_BIRTH_EQUAL', 'SEX_EQUAL', 'PLACE_OF_BIRTH_SIMILAR']),
    );
    expect(JSON.stringify(candidate.reasons)).not.toMatch(/Aqtobe|1985|Gulnara/);
    const events = (await auditRowsFor(user.staff.id)).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'READ',
      entity_id: known.id,
      returnee_id: known.id,
      operation: 'likelyDuplicates',
      outcome: 'SUCCESS',
    });
    expect(events[0].fields).toEqual(
      expect.arrayContaining(['id', 'caseNumber', 'givenName', 'familyName', 'dateOfBirth', 'sex', 'placeOfBirth']),
    );
  });

  it('refuses a sector that may not read names (oversight), with a DENY event', async () => {
    const auditor = await makeSectorUser(hub.db.orm, 'OVERSIGHT', ['AUDITOR']);
    const res = await gql(hub, auditor.token, CHECK, { input: { givenName: 'Aigerim', familyName: 'Nurlanova' } });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await auditRowsFor(auditor.staff.id)).toMatchObject([{ action: 'DENY', outcome: 'DENIED', operation: 'likelyDuplicates' }]);
  });

  it('refuses input without letters in a name', async () => {
    const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const res = await gql(hub, user.token, CHECK, { input: { givenName: '...', familyName: 'Nurlanova' } });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
