import type { FilterQuery } from '@mikro-orm/core';
import type { Operation } from '../request/operation';
import { conflict } from '../errors';
import { Agency } from './agency.entity';
import type { AgencyFilter, CreateAgencyInput } from './agency.types';
import { isUniqueViolation } from '../common/db-errors';

/** The agency directory: readable by every signed-in user, managed by administrators. */
export async function listAgencies(op: Operation, filter: AgencyFilter = {}): Promise<Agency[]> {
  await op.authorizeOrThrow('read', 'Agency', { message: 'You may not read the agency directory' });
  const where: FilterQuery<Agency> = {};
  if (filter.country) where.country = filter.country.toUpperCase();
  if (filter.sector) where.sector = filter.sector;
  const rows = await op.em.find(Agency, where, { orderBy: { country: 'asc', code: 'asc' }, limit: 1000 });
  await op.recordDurably(
    rows.map((a) => ({
      action: 'READ' as const,
      entityType: 'Agency',
      entityId: a.id,
      fields: ['code', 'name', 'sector', 'country'],
      outcome: 'SUCCESS' as const,
    })),
  );
  return rows;
}

/** One agency of the directory, audited like the list (a mutation's response is read this way too). */
export async function readAgencyOrThrow(op: Operation, id: string): Promise<Agency> {
  await op.authorizeOrThrow('read', 'Agency', { message: 'You may not read the agency directory' });
  const agency = await op.em.findOne(Agency, { id });
  if (!agency) return op.notFoundOrThrow('READ', 'Agency', id);
  await op.recordDurably([
    { action: 'READ', entityType: 'Agency', entityId: agency.id, fields: ['code', 'name', 'sector', 'country'], outcome: 'SUCCESS' },
  ]);
  return agency;
}

export async function createAgencyOrThrow(op: Operation, input: CreateAgencyInput): Promise<Agency> {
  await op.authorizeOrThrow('manage', 'Agency', { message: 'Only administrators may create agencies' });
  try {
    return await op.em.transactional(async (tx) => {
      const agency = new Agency(input.code, input.name.trim(), input.sector, input.country.toUpperCase());
      tx.persist(agency);
      await tx.flush();
      await op.recordInTransaction(tx, [
        { action: 'CREATE', entityType: 'Agency', entityId: agency.id, fields: ['code', 'name', 'sector', 'country'], outcome: 'SUCCESS' },
      ]);
      return agency;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`An agency with code "${input.code}" already exists`);
    throw error;
  }
}
