import { sign, verify } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import { GENESIS_HASH } from './audit-canonical';
import { trustedKeyFromRaw, type SigningKey, type TrustedKey } from './audit-signing-key';

/**
 * Signed checkpoints: (position, hash, time) of the chain head, signed with Ed25519. The JSON
 * form (`CheckpointRecord`) is what `hub audit checkpoint` prints for an auditor to keep
 * outside the database; `hub audit verify --checkpoint FILE` later proves that the trail up
 * to it is unchanged. Checkpoints are also stored in `audit_checkpoint` (append-only).
 */
export interface CheckpointRecord {
  id?: string;
  position: string;
  hash: string;
  signedAt: string;
  keyId: string;
  publicKey: string;
  signature: string;
}

const CHECKPOINT_LOCK_KEY = 7_305_120_002;

export function checkpointMessage(position: string, hashHex: string, signedAt: string): Buffer {
  return Buffer.from(`returnee-hub audit checkpoint v1\nposition ${position}\nhash ${hashHex}\nsigned_at ${signedAt}\n`, 'utf8');
}

/** Whether the signature is valid, and whether the key that made it is one we trust. */
export function checkSignature(
  cp: CheckpointRecord,
  trusted: readonly TrustedKey[],
  message = checkpointMessage(cp.position, cp.hash, cp.signedAt),
): { valid: boolean; trustedKey: boolean } {
  try {
    const key = trustedKeyFromRaw(Buffer.from(cp.publicKey, 'base64'));
    const valid = key.keyId === cp.keyId && verify(null, message, key.key, Buffer.from(cp.signature, 'base64'));
    return { valid, trustedKey: trusted.some((t) => t.raw.equals(key.raw)) };
  } catch {
    return { valid: false, trustedKey: false };
  }
}

async function head(trx: Knex): Promise<{ position: string; hash: Buffer }> {
  // `order by c.position`: a bare `position` would sort by the text alias ('9' after '29').
  const { rows } = (await trx.raw('select c.position::text as position, c.hash from audit_chain c order by c.position desc limit 1')) as {
    rows: { position: string; hash: Buffer }[];
  };
  return rows[0] ?? { position: '0', hash: GENESIS_HASH };
}

async function insert(trx: Knex, key: SigningKey): Promise<CheckpointRecord> {
  const h = await head(trx);
  const signedAt = new Date().toISOString();
  const hash = h.hash.toString('hex');
  const signature = sign(null, checkpointMessage(h.position, hash, signedAt), key.privateKey);
  const { rows } = (await trx.raw(
    `insert into audit_checkpoint (position, hash, signed_at, key_id, public_key, signature)
     values (?, decode(?, 'hex'), ?, ?, decode(?, 'hex'), decode(?, 'hex')) returning id::text as id`,
    [h.position, hash, signedAt, key.publicKey.keyId, key.publicKey.raw.toString('hex'), signature.toString('hex')],
  )) as { rows: { id: string }[] };
  return {
    id: rows[0].id,
    position: h.position,
    hash,
    signedAt,
    keyId: key.publicKey.keyId,
    publicKey: key.publicKey.raw.toString('base64'),
    signature: signature.toString('base64'),
  };
}

/** Signs the current head (seal first to include everything committed). */
export function createCheckpoint(knex: Knex, key: SigningKey): Promise<CheckpointRecord> {
  return knex.transaction((trx) => insert(trx, key));
}

/**
 * The periodic checkpoint of a serving hub: at most one per interval across all processes
 * (advisory lock, then "is the latest one old enough"), and none while the head stands still.
 * `intervalMs` 0: whenever the head has moved past the latest checkpoint (at shutdown).
 */
export async function checkpointIfDue(knex: Knex, key: SigningKey, intervalMs: number): Promise<CheckpointRecord | undefined> {
  return knex.transaction(async (trx) => {
    const {
      rows: [lock],
    } = (await trx.raw('select pg_try_advisory_xact_lock(?) as ok', [CHECKPOINT_LOCK_KEY])) as { rows: { ok: boolean }[] };
    if (!lock.ok) return undefined;
    const {
      rows: [latest],
    } = (await trx.raw(
      `select position::text as position, extract(epoch from clock_timestamp() - signed_at) * 1000 as age_ms
       from audit_checkpoint order by id desc limit 1`,
    )) as { rows: { position: string; age_ms: number }[] };
    if (latest && Number(latest.age_ms) < intervalMs) return undefined;
    if (latest && latest.position === (await head(trx)).position) return undefined;
    return insert(trx, key);
  });
}

export async function listCheckpoints(knex: Knex): Promise<CheckpointRecord[]> {
  const { rows } = (await knex.raw(
    `select id::text as id, position::text as position, encode(hash, 'hex') as hash,
            to_char(signed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as signed_at, key_id,
            encode(public_key, 'base64') as public_key, encode(signature, 'base64') as signature
     from audit_checkpoint k order by k.position, k.id`,
  )) as { rows: Record<string, string>[] };
  // Timestamps as text in the signed format: the ORM's pool and a plain pg pool parse them differently.
  return rows.map((r) => ({
    id: r.id,
    position: r.position,
    hash: r.hash,
    signedAt: r.signed_at,
    keyId: r.key_id,
    publicKey: r.public_key.replace(/\n/g, ''),
    signature: r.signature.replace(/\n/g, ''),
  }));
}
