import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { ARCHIVE_FORMAT, type ArchiveHeader } from './audit-archive';
import { CANONICAL_VERSION, GENESIS_HASH } from './audit-canonical';
import { checkSignature } from './audit-checkpoint';
import { monthSealMessage, nextMonth, sealDefects, type MonthSeal } from './audit-month-seal';
import type { TrustedKey } from './audit-signing-key';
import { positionBytes } from './audit-link-row';

/**
 * Verifies an archive (audit-archive.ts) alone, offline: no database, only the file and the
 * trusted public keys. Every line is checked (after a bad one it goes on from the stored hash,
 * so every bad line is named): its link hash follows from the line before and its event; the
 * positions run from the seal's first to its last without a hole; the count, the last hash
 * (the seal's root hash) and the seal's hash and signature hold; the seal follows the previous
 * month's seal given in the header, and the first link follows from that seal's root hash; every
 * checkpoint in the header is signed by a trusted key and the archive passes through it.
 */
export interface ArchiveProblem {
  /** 1-based line of the uncompressed file (1 is the header); 0 for the file as a whole. */
  line: number;
  reason: string;
}

export interface ArchiveReport {
  intact: boolean;
  month?: string;
  events: number;
  firstPosition?: string;
  lastPosition?: string;
  rootHash?: string;
  keyId?: string;
  checkpointsChecked: number;
  problems: ArchiveProblem[];
  problemCount: number;
  ms: number;
}

const MAX_PROBLEMS = 20;

function sealSelfDefects(seal: MonthSeal, trusted: readonly TrustedKey[]): string[] {
  const message = monthSealMessage(seal);
  const out: string[] = [];
  if (createHash('sha256').update(message).digest('hex') !== seal.sealHash) out.push('its hash does not match its contents');
  const sig = checkSignature({ ...seal, position: '', hash: '', signedAt: '' }, trusted, message);
  if (!sig.valid) out.push('its signature does not verify');
  else if (!sig.trustedKey) out.push(`it is signed by key ${seal.keyId}, which is not a trusted key`);
  return out;
}

function headerProblems(h: ArchiveHeader, trusted: readonly TrustedKey[]): string[] {
  if (h.format !== ARCHIVE_FORMAT) return [`not an audit archive (format ${JSON.stringify(h.format)})`];
  if (h.canonicalVersion !== CANONICAL_VERSION) return [`canonical form ${h.canonicalVersion} is not ${CANONICAL_VERSION}`];
  if (!h.seal || h.seal.month !== h.month) return ['the header holds no seal of its month'];
  const out = sealSelfDefects(h.seal, trusted).map((d) => `the seal of ${h.month}: ${d}`);
  if (h.previousSeal) {
    out.push(...sealSelfDefects(h.previousSeal, trusted).map((d) => `the previous seal (${h.previousSeal!.month}): ${d}`));
    out.push(
      ...sealDefects(h.seal, h.previousSeal, trusted)
        .filter((d) => /follow|missing/.test(d))
        .map((d) => `the seal of ${h.month}: ${d}`),
    );
  } else if (h.seal.previousSealHash !== GENESIS_HASH.toString('hex')) {
    out.push(`the seal of ${h.month} follows a previous month's seal the header does not hold`);
  }
  const expectedAnchor =
    h.seal.firstPosition === '1'
      ? GENESIS_HASH.toString('hex')
      : h.previousSeal && BigInt(h.previousSeal.lastPosition) + 1n === BigInt(h.seal.firstPosition)
        ? h.previousSeal.rootHash
        : undefined;
  if (expectedAnchor !== undefined && h.anchorHash !== expectedAnchor)
    out.push("the hash the first link follows from is not the previous seal's root hash");
  if (h.previousSeal && nextMonth(h.previousSeal.month) !== h.month) out.push(`the previous seal is of ${h.previousSeal.month}`);
  return out;
}

export async function verifyArchive(file: string, trusted: readonly TrustedKey[]): Promise<ArchiveReport> {
  const started = Date.now();
  const problems: ArchiveProblem[] = [];
  let problemCount = 0;
  const add = (line: number, reason: string) => {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push({ line, reason });
  };
  const report = (extra: Partial<ArchiveReport>): ArchiveReport => ({
    intact: problemCount === 0,
    events: 0,
    checkpointsChecked: 0,
    ...extra,
    problems,
    problemCount,
    ms: Date.now() - started,
  });
  const gunzip = createGunzip();
  const lines = createInterface({ input: createReadStream(file).pipe(gunzip), crlfDelay: Infinity });
  let header: ArchiveHeader | undefined;
  let n = 0;
  let events = 0;
  let expected = 0n;
  let previous = Buffer.alloc(32);
  let lastHash = '';
  const checkpointAt = new Map<string, string[]>();
  const pos8 = Buffer.alloc(8);
  try {
    for await (const text of lines) {
      n++;
      if (n === 1) {
        try {
          header = JSON.parse(text) as ArchiveHeader;
        } catch {
          add(1, 'the header is not JSON');
          break;
        }
        for (const p of headerProblems(header, trusted)) add(1, p);
        if (problemCount > 0 && header.format !== ARCHIVE_FORMAT) break;
        expected = BigInt(header.seal.firstPosition);
        previous = Buffer.from(header.anchorHash, 'hex');
        for (const cp of header.checkpoints ?? []) checkpointAt.set(cp.position, [...(checkpointAt.get(cp.position) ?? []), cp.hash]);
        continue;
      }
      let link: { p: number; h: string; e: unknown; o?: 1 };
      try {
        link = JSON.parse(text) as typeof link;
      } catch {
        add(n, 'the line is not JSON (cut or changed)');
        continue;
      }
      if (link.o === undefined) events++;
      const position = BigInt(link.p);
      if (position !== expected) add(n, `position ${position} where ${expected} was expected (lines removed, added or moved)`);
      expected = position + 1n;
      const canon = JSON.stringify(link.e);
      const h = createHash('sha256')
        .update(previous)
        .update(positionBytes(pos8, Number(position)))
        .update(canon, 'utf8')
        .digest('hex');
      if (typeof link.h !== 'string' || h !== link.h) {
        add(n, `the event at position ${position} does not match its link hash (the event or the link was changed)`);
      }
      previous = Buffer.from(typeof link.h === 'string' ? link.h : '', 'hex');
      lastHash = link.h;
      for (const cpHash of checkpointAt.get(position.toString()) ?? []) {
        if (cpHash !== link.h) add(n, `a signed checkpoint at position ${position} does not match the archive`);
      }
    }
  } catch (error) {
    add(n + 1, `the file cannot be read to its end (${(error as Error).message}): cut or not gzip`);
  }
  if (!header) {
    if (n === 0) add(0, 'the file is empty');
    return report({});
  }
  const seal = header.seal;
  if (events.toString() !== seal.eventCount) add(0, `the archive holds ${events} events, the seal vouches for ${seal.eventCount}`);
  if (events > 0 && (expected - 1n).toString() !== seal.lastPosition)
    add(0, `the archive ends at position ${expected - 1n}, the seal at ${seal.lastPosition}`);
  if (events > 0 && lastHash !== seal.rootHash) add(0, "the last link's hash is not the seal's root hash");
  let checkpointsChecked = 0;
  for (const cp of header.checkpoints ?? []) {
    checkpointsChecked++;
    const sig = checkSignature(cp, trusted);
    if (!sig.valid || !sig.trustedKey)
      add(1, `checkpoint at position ${cp.position}: ${sig.valid ? 'signed by a key that is not trusted' : 'signature does not verify'}`);
    if (BigInt(cp.position) < BigInt(seal.firstPosition) || BigInt(cp.position) > BigInt(seal.lastPosition))
      add(1, `checkpoint at position ${cp.position} is outside the month`);
  }
  return report({
    month: header.month,
    events,
    firstPosition: seal.firstPosition,
    lastPosition: seal.lastPosition,
    rootHash: seal.rootHash,
    keyId: seal.keyId,
    checkpointsChecked,
  });
}
