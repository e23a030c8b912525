import type { FilterQuery } from '@mikro-orm/core';
import type { AppAbility } from '../access/ability';
import type { SharingAgreement } from './agreement.entity';

/**
 * Which agreements a caller manages, from the CASL rules of src/access/ability.ts: a rule without
 * conditions (administrators) is every agreement; `holderCountry` (auditors) those whose holder
 * agency is of that country. `null`: none. Anything else in a rule throws, so a new kind of rule
 * cannot silently widen the scope.
 */
export function managedCountries(ability: AppAbility): 'all' | string[] | null {
  const rules = ability.rulesFor('manage', 'SharingAgreement');
  if (rules.length === 0) return null;
  const countries: string[] = [];
  for (const rule of rules) {
    if (rule.inverted) throw new Error('agreement scope: inverted rules are not supported');
    const conditions = (rule.conditions ?? {}) as Record<string, unknown>;
    const keys = Object.keys(conditions);
    if (keys.length === 0) return 'all';
    if (keys.length !== 1 || keys[0] !== 'holderCountry' || typeof conditions.holderCountry !== 'string') {
      throw new Error(`agreement scope: unsupported condition ${keys.join(', ')}`);
    }
    countries.push(conditions.holderCountry);
  }
  return countries;
}

/** The agreements a manager may manage (null: all). */
export function manageFilter(countries: 'all' | string[]): FilterQuery<SharingAgreement> | null {
  return countries === 'all' ? null : { holder: { country: { $in: countries } } };
}

/**
 * The agreements a manager may read: those it manages, and for an auditor also those whose
 * recipient is of its country (the agencies it oversees read under them). Null: all.
 */
export function readFilter(countries: 'all' | string[]): FilterQuery<SharingAgreement> | null {
  if (countries === 'all') return null;
  return {
    $or: [
      { holder: { country: { $in: countries } } },
      { recipientAgency: { country: { $in: countries } } },
      { recipientCountry: { $in: countries } },
    ],
  };
}
