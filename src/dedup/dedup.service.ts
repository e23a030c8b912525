import type { Knex } from '@mikro-orm/postgresql';
import type { Operation } from '../request/operation';
import { readProjection, type ReadProjection } from '../access/projection';
import { badInput, conflict, forbidden } from '../errors';
import { readReturneesByIdOrThrow, type Subfields } from '../returnee/returnee-read.service';
import type { ReturneeView } from '../returnee/returnee.types';
import { guardianKeyOf, searchCandidates } from './candidate-search';
import { scoreMatch, type MatchInput, type MatchReason } from './match-score';
import { fillStaleKeys } from './name-key-store';
import { keysOfName, nameKeysOf, namePair } from './name-keys';

/**
 * Duplicate checks: which records IN THE CALLER'S SCOPE may be the person described. The
 * search is the caller's own read (row scope and field groups in SQL, candidate-search.ts), so
 * a record the caller could not find with `returnees` is never a candidate, and a field the
 * caller may not read on a record neither shows nor counts. Every candidate returned has one
 * READ event naming the fields compared and shown. Records outside the scope stay NOT_FOUND:
 * how an agency learns that someone else may know the person is docs/matching.md's identity
 * check request.
 */
export const DEFAULT_MIN_SCORE = 0.5;
export const MAX_CANDIDATES = 50;

/** Stale keys filled before a check, so records written a moment ago by other paths are found. */
const FILL_BEFORE_CHECK = 100;

export interface ScoredMatch {
  id: string;
  caseNumber: string;
  score: number;
  reasons: MatchReason[];
  compared: string[];
}

export interface CheckOptions {
  first: number;
  minScore: number;
  /** The record being registered or checked itself. */
  excludeId?: string;
}

async function namesReadableOrThrow(op: Operation): Promise<ReadProjection> {
  const p = readProjection(op.ability);
  if (p && p.readable.has('givenName') && p.readable.has('familyName')) return p;
  return op.denyOrThrow(
    { entityType: 'Returnee', fields: ['givenName', 'familyName'] },
    forbidden(`Your sector (${op.actor.sector}) may not read returnees' names, so it cannot look for duplicates`),
  );
}

/** The scored candidates, most likely first, without recording anything (callers audit what they disclose). */
export async function findDuplicatesOrThrow(
  op: Operation,
  input: MatchInput,
  opts: CheckOptions,
): Promise<{ matches: ScoredMatch[]; complete: boolean }> {
  if (!Number.isInteger(opts.first) || opts.first < 1 || opts.first > MAX_CANDIDATES)
    throw badInput(`first must be between 1 and ${MAX_CANDIDATES}`);
  if (!(opts.minScore >= 0 && opts.minScore <= 1)) throw badInput('minScore must be between 0 and 1');
  const p = await namesReadableOrThrow(op);
  const given = keysOfName(input.givenName, 'given');
  const family = keysOfName(input.familyName, 'family');
  if (given.length === 0 || family.length === 0) {
    throw badInput('givenName and familyName must each contain at least one letter', { fields: ['givenName', 'familyName'] });
  }
  const knex = op.em.getConnection().getKnex();
  const db = op.em.getTransactionContext<Knex.Transaction>() ?? knex;
  const guardianKey = input.guardianReturneeId ? await guardianKeyOf(db, p, input.guardianReturneeId) : null;
  const keys = nameKeysOf(input);
  const spec = {
    projection: p,
    nameKey: keys.nameKey,
    givenKey: keys.givenKey,
    familyKey: keys.familyKey,
    pair: namePair(keys.givenKey, keys.familyKey),
    dateOfBirth: input.dateOfBirth,
    excludeId: opts.excludeId,
  };
  let { rows, stale } = await searchCandidates(db, spec);
  if (stale) {
    // Records in scope written a moment ago without keys (another path than the hub's writes):
    // fill a batch of them and look again; what is left waits for the background filler
    // (`complete: false`). Stale records out of scope neither show nor cost the caller time.
    await fillStaleKeys(knex, FILL_BEFORE_CHECK, p, true);
    ({ rows, stale } = await searchCandidates(db, spec));
  }
  const matches = rows
    .map((row) => {
      const result = scoreMatch({ ...input, guardianKey }, row.candidate);
      // Every field the search fetched on the record was compared, whether or not it gave a reason.
      return { id: row.id, caseNumber: row.caseNumber, score: result.score, reasons: result.reasons, compared: row.readable };
    })
    .filter((m) => m.score >= opts.minScore)
    .sort((a, b) => b.score - a.score || a.caseNumber.localeCompare(b.caseNumber))
    .slice(0, opts.first);
  return { matches, complete: !stale };
}

export interface DuplicateCandidate {
  returnee: ReturneeView;
  score: number;
  reasons: MatchReason[];
}

/** The candidates with their records as the caller may see them; one READ event per candidate. */
export async function likelyDuplicatesOrThrow(
  op: Operation,
  input: MatchInput,
  opts: CheckOptions,
  requested: Set<string>,
  subfields?: Subfields,
): Promise<{ candidates: DuplicateCandidate[]; complete: boolean }> {
  const { matches, complete } = await findDuplicatesOrThrow(op, input, opts);
  const byId = new Map(matches.map((m) => [m.id, m]));
  const views = await readReturneesByIdOrThrow(
    op,
    matches.map((m) => m.id),
    requested,
    subfields,
    (id) => byId.get(id)!.compared,
  );
  return {
    candidates: views.map((returnee) => ({ returnee, score: byId.get(returnee.id)!.score, reasons: byId.get(returnee.id)!.reasons })),
    complete,
  };
}

/**
 * registerReturnee with duplicateCheck REFUSE, after its own checks and before it writes: when a
 * record in the caller's scope may be the same person, nothing is written and the answer is a
 * CONFLICT naming those records (id, case number, score, reason codes), each read audited.
 */
export async function refuseLikelyDuplicatesOrThrow(op: Operation, input: MatchInput): Promise<void> {
  const { matches } = await findDuplicatesOrThrow(op, input, { first: 10, minScore: DEFAULT_MIN_SCORE });
  if (matches.length === 0) return;
  await op.recordDurably([
    ...matches.map((m) => ({
      action: 'READ' as const,
      entityType: 'Returnee',
      entityId: m.id,
      returneeId: m.id,
      fields: ['id', 'caseNumber', ...m.compared],
      outcome: 'SUCCESS' as const,
    })),
    { action: 'CREATE', entityType: 'Returnee', outcome: 'CONFLICT', reason: 'LIKELY_DUPLICATE' },
  ]);
  const list = matches.map((m) => `${m.caseNumber} (score ${m.score})`).join(', ');
  throw conflict(
    `${matches.length === 1 ? 'A record' : `${matches.length} records`} in your scope may be this person: ${list}. Nothing was registered. ` +
      'Look at them (likelyDuplicates, or returnee(id)); register anyway with duplicateCheck: FLAG.',
    {
      duplicates: matches.map((m) => ({
        returneeId: m.id,
        caseNumber: m.caseNumber,
        score: m.score,
        reasons: m.reasons.map((r) => r.code),
      })),
    },
  );
}
