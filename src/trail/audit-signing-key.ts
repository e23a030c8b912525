import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The Ed25519 key that signs audit checkpoints. From `HUB_AUDIT_SIGNING_KEY` (PKCS#8 PEM, or
 * the 32-byte seed in base64), else `<HUB_DATA_DIR>/audit-signing-key.pem`, generated on
 * first use. Every hub process writing to one database should share it; an auditor keeps the
 * public key (`hub audit public-key`) outside the database to check checkpoints with.
 */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: TrustedKey;
}

export interface TrustedKey {
  key: KeyObject;
  raw: Buffer;
  keyId: string;
}

const PKCS8_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
export const SIGNING_KEY_FILE = 'audit-signing-key.pem';

export function keyIdOf(raw: Buffer): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

export function trustedKeyFromRaw(raw: Buffer): TrustedKey {
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  return { key, raw, keyId: keyIdOf(raw) };
}

function trustedKeyOf(key: KeyObject): TrustedKey {
  const raw = key.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { key, raw: Buffer.from(raw), keyId: keyIdOf(raw) };
}

/** A public key given as SPKI PEM or as the raw 32 bytes in base64/base64url. */
export function trustedKeyFromText(text: string): TrustedKey {
  const t = text.trim();
  if (t.startsWith('-----BEGIN')) {
    const key = createPublicKey(t);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('the public key is not an Ed25519 key');
    return trustedKeyOf(key);
  }
  return trustedKeyFromRaw(Buffer.from(t, 'base64'));
}

export function signingKeyFromText(text: string): SigningKey {
  const t = text.trim();
  const privateKey = t.startsWith('-----BEGIN')
    ? createPrivateKey(t)
    : createPrivateKey({ key: Buffer.concat([PKCS8_SEED_PREFIX, seedOrThrow(t)]), format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('HUB_AUDIT_SIGNING_KEY is not an Ed25519 key');
  return { privateKey, publicKey: trustedKeyOf(createPublicKey(privateKey)) };
}

function seedOrThrow(text: string): Buffer {
  const seed = Buffer.from(text, 'base64');
  if (seed.length !== 32) throw new Error('HUB_AUDIT_SIGNING_KEY must be a PKCS#8 PEM Ed25519 key or a 32-byte seed in base64');
  return seed;
}

export function publicKeyPem(key: TrustedKey): string {
  return key.key.export({ format: 'pem', type: 'spki' }).toString();
}

/**
 * Reads the key file, or creates it. Several processes may start at once: the key is written
 * to a private temporary file and hard-linked into place, which fails if another process got
 * there first, so everyone ends up with the same complete file.
 */
export async function loadOrCreateSigningKey(dataDir: string, fromEnv?: string): Promise<SigningKey> {
  if (fromEnv) return signingKeyFromText(fromEnv);
  const file = path.join(dataDir, SIGNING_KEY_FILE);
  try {
    return signingKeyFromText(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, pem, { mode: 0o600 });
  try {
    await link(tmp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(tmp);
  }
  return signingKeyFromText(await readFile(file, 'utf8'));
}
