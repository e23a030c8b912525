import type { Returnee } from '../src/returnee/returnee.entity';
import type { HubServer } from '../src/server';
import { auditRowsFor } from './support/audit';
import { giveConsent, grantAccess, makeAgency, makeReturnee, makeSectorUser, makeStaff } from './support/factories';
import { errorCode, gql, sqlClient, startHub } from './support/hub';

/**
 * Duplicate checks see what the caller's reads see and nothing more: records outside the scope
 * are never candidates (and leave no trace in the caller's answer or audit rows), a field the
 * caller may not read on a record is neither compared nor named, and registerReturnee's modes.
 */
const CHECK = `query($input: DuplicateCheckInput!) { likelyDuplicates(input: $input) {
  complete candidates { score reasons { code fields } returnee { id caseNumber givenName redactedFields } } } }`;
const REGISTER = `mutation($input: RegisterReturneeInput!, $mode: DuplicateCheckMode) { registerReturnee(input: $input, duplicateCheck: $mode) {
  returnee { id caseNumber } possibleDuplicates { score reasons { code } returnee { id caseNumber } } } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdateReturneeInput!) { updateReturnee(id: $id, expectedVersion: $v, input: $input) { returnee { version } } }`;

const AIGERIM = { givenName: 'Айгерим', familyName: 'Нурланова', sex: 'FEMALE', dateOfBirth: '1994-03-12' };
const AIGERIM_LATIN = { givenName: 'Aigerim', familyName: 'Nurlanova', sex: 'FEMALE', dateOfBirth: '1994-03-12' };

let hub: HubServer;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(() => hub.stop());

async function countByName(familyName: string, agencyId: string): Promise<number> {
  const client = await sqlClient();
  try {
    const { rows } = await client.query('select count(*)::int as n from returnee where family_name = $1 and registering_agency_id = $2', [
      familyName,
      agencyId,
    ]);
    return rows[0].n;
  } finally {
    await client.end();
  }
}

describe('out of scope', () => {
  it('never lists a record of another agency, says nothing about it, and audits nothing about it', async () => {
    const orm = hub.db.orm;
    const holder = await makeSectorUser(orm, 'SOCIAL');
    const held = await gql(hub, holder.token, REGISTER, { input: AIGERIM });
    const heldId = held.data.registerReturnee.returnee.id;
    const other = await makeSectorUser(orm, 'NGO');
    const res = await gql(hub, other.token, CHECK, { input: AIGERIM_LATIN });
    expect(res.errors).toBeUndefined();
    expect(res.data.likelyDuplicates.candidates).toEqual([]);
    expect(JSON.stringify(res)).not.toContain(heldId);
    // The same answer, audit-wise, as when nobody holds the person: no event names the record.
    expect((await auditRowsFor(other.staff.id)).filter((e) => e.returnee_id === heldId || e.entity_id === heldId)).toEqual([]);
    // REFUSE registers: a match outside the scope does not block (that would reveal it).
    const registered = await gql(hub, other.token, REGISTER, { input: AIGERIM_LATIN, mode: 'REFUSE' });
    expect(registered.errors).toBeUndefined();
    expect(registered.data.registerReturnee.possibleDuplicates).toEqual([]);
    // Once the holder refers the record (case access), the other agency finds it.
    await grantAccess(orm, { id: heldId } as Returnee, other.agency);
    const after = await gql(hub, other.token, CHECK, { input: AIGERIM_LATIN });
    expect(after.data.likelyDuplicates.candidates.map((c: { returnee: { id: string } }) => c.returnee.id)).toEqual(
      expect.arrayContaining([heldId, registered.data.registerReturnee.returnee.id]),
    );
  });

  it('does not cross a border: a case access without crossBorder leaves the record out', async () => {
    const orm = hub.db.orm;
    const holder = await makeSectorUser(orm, 'SOCIAL', ['CASEWORKER'], 'KG');
    const held = (await gql(hub, holder.token, REGISTER, { input: AIGERIM })).data.registerReturnee.returnee.id;
    const kzNgo = await makeSectorUser(orm, 'NGO', ['CASEWORKER'], 'KZ');
    await grantAccess(orm, { id: held } as Returnee, kzNgo.agency, false);
    expect((await gql(hub, kzNgo.token, CHECK, { input: AIGERIM_LATIN })).data.likelyDuplicates.candidates).toEqual([]);
  });
});

describe('fields the caller may not read', () => {
  it('compares names only where consent lets a health agency read them, and never names a field it may not read', async () => {
    const orm = hub.db.orm;
    const social = await makeSectorUser(orm, 'SOCIAL');
    const r = await makeReturnee(orm, social.agency, {
      givenName: 'Dinara',
      familyName: 'Sadykova',
      dateOfBirth: '1992-08-08',
      otherNames: ['Динара Садыкова'],
    });
    const health = await makeSectorUser(orm, 'HEALTH');
    await grantAccess(orm, r, health.agency);
    const input = { givenName: 'Динара', familyName: 'Садыкова', sex: 'FEMALE', dateOfBirth: '1992-08-08' };
    // In scope, but IDENTITY is another sector's section: without consent the names are not the caller's to compare.
    expect((await gql(hub, health.token, CHECK, { input })).data.likelyDuplicates.candidates).toEqual([]);
    await giveConsent(orm, r, social, ['HEALTH'], ['IDENTITY']);
    const { candidates } = (
      await gql(hub, health.token, CHECK, { input: { ...input, guardianName: 'Someone Else', documentNumbers: ['N1234567'] } })
    ).data.likelyDuplicates;
    expect(candidates.map((c: { returnee: { id: string } }) => c.returnee.id)).toEqual([r.id]);
    const named = candidates[0].reasons.flatMap((x: { fields: string[] }) => x.fields);
    // CONTACT (guardian) and DOCUMENTS are not readable for health here: not compared, not named.
    expect(named).not.toContain('guardianName');
    expect(named).not.toContain('civilDocuments');
    const [event] = (await auditRowsFor(health.staff.id)).filter((e) => e.action === 'READ');
    expect(event.fields).not.toContain('guardianName');
    expect(event.fields).not.toContain('civilDocuments');
  });
});

describe('registerReturnee duplicateCheck', () => {
  it('REFUSE answers CONFLICT naming the records in scope, writes nothing, and audits the reads and the refusal', async () => {
    const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const first = (await gql(hub, user.token, REGISTER, { input: AIGERIM })).data.registerReturnee.returnee;
    const res = await gql(hub, user.token, REGISTER, { input: { ...AIGERIM_LATIN, familyName: 'Nurlanqyzy' }, mode: 'REFUSE' });
    expect(errorCode(res)).toBe('CONFLICT');
    expect(res.errors![0].message).toContain(first.caseNumber);
    expect(res.errors![0].extensions).toMatchObject({
      duplicates: [{ returneeId: first.id, caseNumber: first.caseNumber, reasons: expect.arrayContaining(['DATE_OF_BIRTH_EQUAL']) }],
    });
    expect(await countByName('Nurlanqyzy', user.agency.id)).toBe(0);
    const events = await auditRowsFor(user.staff.id);
    expect(events.slice(-2)).toMatchObject([
      { action: 'READ', entity_id: first.id, operation: 'registerReturnee', outcome: 'SUCCESS' },
      { action: 'CREATE', entity_type: 'Returnee', entity_id: null, outcome: 'CONFLICT', reason: 'LIKELY_DUPLICATE' },
    ]);
  });

  it('FLAG registers and lists the likely duplicates; SKIP (the default) registers without looking', async () => {
    const user = await makeSectorUser(hub.db.orm, 'NGO');
    const first = (await gql(hub, user.token, REGISTER, { input: AIGERIM })).data.registerReturnee;
    expect(first.possibleDuplicates).toBeNull();
    const second = await gql(hub, user.token, REGISTER, { input: AIGERIM_LATIN, mode: 'FLAG' });
    expect(second.errors).toBeUndefined();
    expect(second.data.registerReturnee.possibleDuplicates).toMatchObject([{ returnee: { id: first.returnee.id } }]);
    expect(second.data.registerReturnee.possibleDuplicates[0].score).toBeGreaterThan(0.9);
    expect(await countByName('Nurlanova', user.agency.id)).toBe(1);
  });
});

describe('name keys follow the names', () => {
  it('finds a record under its new name after updateReturnee, and no longer under the old one', async () => {
    const user = await makeSectorUser(hub.db.orm, 'SOCIAL');
    const r = (
      await gql(hub, user.token, REGISTER, {
        input: { givenName: 'Madina', familyName: 'Sultanova', sex: 'FEMALE', dateOfBirth: '2001-02-03' },
      })
    ).data.registerReturnee.returnee;
    const updated = await gql(hub, user.token, UPDATE, { id: r.id, v: 1, input: { familyName: 'Temirova' } });
    expect(updated.errors).toBeUndefined();
    const ask = (familyName: string) =>
      gql(hub, user.token, CHECK, { input: { givenName: 'Мадина', familyName, sex: 'FEMALE', dateOfBirth: '2001-02-03' } });
    expect((await ask('Темирова')).data.likelyDuplicates.candidates.map((c: { returnee: { id: string } }) => c.returnee.id)).toEqual([
      r.id,
    ]);
    expect((await ask('Султанова')).data.likelyDuplicates.candidates).toEqual([]);
  });

  it('finds a record written without keys (straight through the ORM), whose key row the database marked stale', async () => {
    const orm = hub.db.orm;
    const agency = await makeAgency(orm, 'SOCIAL');
    const user = await makeStaff(orm, agency, ['CASEWORKER']);
    const r = await makeReturnee(orm, agency, { givenName: 'Kamila', familyName: 'Bakirova', dateOfBirth: '2003-05-06' });
    const res = await gql(hub, user.token, CHECK, {
      input: { givenName: 'Камила', familyName: 'Бакирова', sex: 'FEMALE', dateOfBirth: '2003-05-06' },
    });
    expect(res.data.likelyDuplicates.candidates.map((c: { returnee: { id: string } }) => c.returnee.id)).toEqual([r.id]);
  });

  it('marks keys stale in the database whenever a name changes, whoever writes it', async () => {
    const orm = hub.db.orm;
    const agency = await makeAgency(orm, 'SOCIAL');
    const r = await makeReturnee(orm, agency, { givenName: 'Saule', familyName: 'Omarova' });
    const client = await sqlClient();
    const version = async () =>
      (await client.query('select key_version from returnee_name_key where returnee_id = $1', [r.id])).rows.map((x) => x.key_version);
    try {
      await client.query('begin');
      await client.query(`update returnee_name_key set key_version = 1000 where returnee_id = $1`, [r.id]);
      await client.query(`update returnee set address = 'elsewhere' where id = $1`, [r.id]);
      expect(await version()).toEqual([1000]);
      await client.query(`update returnee set other_names = array['Сауле'] where id = $1`, [r.id]);
      expect(await version()).toEqual([0]);
      const id = (
        await client.query(
          `insert into returnee (id, version, registering_agency_id, country, created_at, updated_at, case_number, given_name, family_name, other_names, sex, date_of_birth, date_of_birth_estimated, status)
        values (gen_random_uuid(), 1, $1, 'KZ', now(), now(), 'T-trigger-' || substr(md5(random()::text), 1, 8), 'A', 'B', '{}', 'FEMALE', '2000-01-01', false, 'IN_CARE') returning id`,
          [agency.id],
        )
      ).rows[0].id;
      expect((await client.query('select key_version, name_key from returnee_name_key where returnee_id = $1', [id])).rows).toEqual([
        { key_version: 0, name_key: null },
      ]);
    } finally {
      await client.query('rollback');
      await client.end();
    }
  });
});
