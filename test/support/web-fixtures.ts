import type { HubServer } from '../../src/server';
import { gql, tokenFor } from './hub';

/**
 * Agencies, staff and records for the browser suites, made through the public GraphQL API as an
 * administrator and the agencies' own staff would make them: nothing is written behind the API.
 */
export interface Person {
  id: string;
  username: string;
  token: string;
  agencyId: string;
}

export async function asUser(hub: HubServer, token: string, purpose: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await gql(hub, token, query, variables, { 'x-purpose-of-use': purpose });
  if (res.errors) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(res.errors)}`);
  return res.data;
}

export async function makeAgency(hub: HubServer, code: string, name: string, sector: string, country = 'KZ'): Promise<string> {
  const admin = await tokenFor('admin');
  const d = await asUser(hub, admin, 'Onboarding agencies', 'mutation($i: CreateAgencyInput!) { createAgency(input: $i) { id } }', {
    i: { code, name, sector, country },
  });
  return d.createAgency.id;
}

export async function makeStaff(hub: HubServer, agencyId: string, username: string, displayName: string, roles: string[]): Promise<Person> {
  const admin = await tokenFor('admin');
  const d = await asUser(hub, admin, 'Onboarding staff', 'mutation($i: CreateStaffMemberInput!) { createStaffMember(input: $i) { id } }', {
    i: { username, displayName, agencyId, roles },
  });
  return { id: d.createStaffMember.id, username, token: await tokenFor(username), agencyId };
}

export async function register(
  hub: HubServer,
  who: Person,
  input: Record<string, unknown>,
): Promise<{ id: string; caseNumber: string; version: number }> {
  const d = await asUser(
    hub,
    who.token,
    'Registration on arrival',
    'mutation($i: RegisterReturneeInput!) { registerReturnee(input: $i) { returnee { id caseNumber version } } }',
    { i: input },
  );
  return d.registerReturnee.returnee;
}
