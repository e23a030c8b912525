import { createHash, sign } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import { GENESIS_HASH } from './audit-canonical';
import { checkSignature } from './audit-checkpoint';
import type { SigningKey, TrustedKey } from './audit-signing-key';
import { monthBounds } from './audit-walk';

/**
 * Month seals: when a calendar month (UTC) can no longer receive events, the sealer closes it
 * with a signed record of its part of the chain: first and last position, how many links,
 * the root hash (the stored link hash at its last position, which commits to every link
 * before it), and the hash of the previous month's seal, so the seals form a chain of their
 * own. Verification then checks each month on its own (and in parallel), `auditIntegrity`
 * checks the closed months from their seals, and a month can be archived and detached with
 * its seal as the proof of what it held.
 *
 * A month M can no longer receive events once a sealing mark taken after M ended has settled
 * (every transaction that could have dated an event in M has ended) and the watermark has
 * passed that mark's high-water mark (every such event is chained): see audit-sealer.ts.
 */
export interface MonthSeal {
  month: string;
  firstPosition: string;
  lastPosition: string;
  eventCount: string;
  rootHash: string;
  previousSealHash: string;
  sealHash: string;
  sealedAt: string;
  keyId: string;
  publicKey: string;
  signature: string;
}

export function monthSealMessage(s: Omit<MonthSeal, 'sealHash' | 'keyId' | 'publicKey' | 'signature'>): Buffer {
  return Buffer.from(
    `returnee-hub audit month seal v1\nmonth ${s.month}\nfirst_position ${s.firstPosition}\nlast_position ${s.lastPosition}\n` +
      `event_count ${s.eventCount}\nroot_hash ${s.rootHash}\nprevious_seal_hash ${s.previousSealHash}\nsealed_at ${s.sealedAt}\n`,
    'utf8',
  );
}

export const nextMonth = (month: string): string => monthBounds(month).to.slice(0, 7);

/** `YYYY-MM` of a timestamp given as ISO text (UTC). */
export const monthOf = (iso: string): string => iso.slice(0, 7);

export async function listMonthSeals(knex: Knex): Promise<MonthSeal[]> {
  const { rows } = (await knex.raw(
    `select to_char(month, 'YYYY-MM') as month, first_position::text as first_position, last_position::text as last_position,
       event_count::text as event_count, encode(root_hash, 'hex') as root_hash, encode(previous_seal_hash, 'hex') as previous_seal_hash,
       encode(seal_hash, 'hex') as seal_hash, to_char(sealed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as sealed_at,
       key_id, encode(public_key, 'base64') as public_key, encode(signature, 'base64') as signature
     from audit_month_seal order by month`,
  )) as { rows: Record<string, string>[] };
  return rows.map((r) => ({
    month: r.month,
    firstPosition: r.first_position,
    lastPosition: r.last_position,
    eventCount: r.event_count,
    rootHash: r.root_hash,
    previousSealHash: r.previous_seal_hash,
    sealHash: r.seal_hash,
    sealedAt: r.sealed_at,
    keyId: r.key_id,
    publicKey: r.public_key.replace(/\n/g, ''),
    signature: r.signature.replace(/\n/g, ''),
  }));
}

/** The latest seal's month and hash, or none. */
export async function latestMonthSeal(
  trx: Knex,
): Promise<{ month: string; sealHash: Buffer; lastPosition: bigint; rootHash: Buffer } | undefined> {
  const { rows } = (await trx.raw(
    `select to_char(month, 'YYYY-MM') as month, seal_hash, last_position::text as last_position, root_hash
     from audit_month_seal order by month desc limit 1`,
  )) as { rows: { month: string; seal_hash: Buffer; last_position: string; root_hash: Buffer }[] };
  const r = rows[0];
  return r && { month: r.month, sealHash: r.seal_hash, lastPosition: BigInt(r.last_position), rootHash: r.root_hash };
}

/**
 * The month the sealer is filling: the one after the latest seal; before any seal, the oldest
 * month holding a link or an event waiting above the watermark (only until the first seal: a
 * few short queries, one per month partition at most).
 */
export async function openMonth(trx: Knex, watermark: bigint): Promise<string | undefined> {
  const latest = await latestMonthSeal(trx);
  if (latest) return nextMonth(latest.month);
  const { rows } = (await trx.raw(
    `select to_char(min(e.occurred_at) at time zone 'UTC', 'YYYY-MM') as month from audit_event e where e.id > ?`,
    [watermark.toString()],
  )) as { rows: { month: string | null }[] };
  const waiting = rows[0].month ?? undefined;
  const { rows: parts } = (await trx.raw(`select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'public.audit_chain'::regclass order by c.relname`)) as { rows: { relname: string }[] };
  for (const { relname } of parts) {
    const month = relname.replace(/^audit_chain_(\d{4})_(\d{2})$/, '$1-$2');
    if (waiting !== undefined && month >= waiting) break;
    const b = monthBounds(month);
    const { rows: any } = (await trx.raw(
      'select 1 from audit_chain where occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz limit 1',
      [b.from, b.to],
    )) as { rows: unknown[] };
    if (any.length > 0) return month;
  }
  return waiting;
}

/** Closes `month` (its events all chained): counts its links, signs, appends the seal. */
export async function closeMonth(trx: Knex, month: string, key: SigningKey): Promise<MonthSeal> {
  const b = monthBounds(month);
  const latest = await latestMonthSeal(trx);
  const {
    rows: [stats],
  } = (await trx.raw(
    `select min(position)::text as first, max(position)::text as last, count(*)::text as n from audit_chain
     where occurred_at >= ?::timestamptz and occurred_at < ?::timestamptz`,
    [b.from, b.to],
  )) as { rows: { first: string | null; last: string | null; n: string }[] };
  let root = latest?.rootHash ?? GENESIS_HASH;
  if (stats.last) {
    const { rows } = (await trx.raw('select hash from audit_chain where position = ? limit 1', [stats.last])) as {
      rows: { hash: Buffer }[];
    };
    root = rows[0].hash;
  }
  const previousEnd = latest?.lastPosition ?? 0n;
  const unsigned = {
    month,
    firstPosition: stats.first ?? (previousEnd + 1n).toString(),
    lastPosition: stats.last ?? previousEnd.toString(),
    eventCount: stats.n,
    rootHash: root.toString('hex'),
    previousSealHash: (latest?.sealHash ?? GENESIS_HASH).toString('hex'),
    sealedAt: new Date().toISOString(),
  };
  const message = monthSealMessage(unsigned);
  const sealHash = createHash('sha256').update(message).digest('hex');
  const signature = sign(null, message, key.privateKey).toString('base64');
  await trx.raw(
    `insert into audit_month_seal (month, first_position, last_position, event_count, root_hash, previous_seal_hash, seal_hash, sealed_at,
       key_id, public_key, signature)
     values (?::date, ?, ?, ?, decode(?, 'hex'), decode(?, 'hex'), decode(?, 'hex'), ?, ?, decode(?, 'base64'), decode(?, 'base64'))`,
    [
      `${month}-01`,
      unsigned.firstPosition,
      unsigned.lastPosition,
      unsigned.eventCount,
      unsigned.rootHash,
      unsigned.previousSealHash,
      sealHash,
      unsigned.sealedAt,
      key.publicKey.keyId,
      key.publicKey.raw.toString('base64'),
      signature,
    ],
  );
  return { ...unsigned, sealHash, keyId: key.publicKey.keyId, publicKey: key.publicKey.raw.toString('base64'), signature };
}

/** What is wrong with one seal by itself and as the successor of `previous`: an empty list when nothing. */
export function sealDefects(seal: MonthSeal, previous: MonthSeal | undefined, trusted: readonly TrustedKey[]): string[] {
  const defects: string[] = [];
  const message = monthSealMessage(seal);
  if (createHash('sha256').update(message).digest('hex') !== seal.sealHash) defects.push('its hash does not match its contents');
  const sig = checkSignature({ ...seal, position: '', hash: '', signedAt: '' }, trusted, message);
  if (!sig.valid) defects.push('its signature does not verify');
  else if (!sig.trustedKey) defects.push(`it is signed by key ${seal.keyId}, which is not trusted`);
  const expectedPrevious = previous?.sealHash ?? GENESIS_HASH.toString('hex');
  if (seal.previousSealHash !== expectedPrevious) defects.push("it does not follow the previous month's seal");
  if (previous && nextMonth(previous.month) !== seal.month) defects.push(`the seal of ${nextMonth(previous.month)} is missing before it`);
  return defects;
}
