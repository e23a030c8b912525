import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Signing secrets: made, sealed at rest, and used to sign.
 *
 * A secret is `whsec_` + base64 of 32 random bytes, the form the Standard Webhooks libraries
 * take as is. The hub must sign with it, so it cannot keep a hash: it keeps it sealed with
 * AES-256-GCM under a key derived (HKDF-SHA256) from HUB_WEBHOOK_SECRETS_KEY, or from the hub's
 * secret HUB_JWT_SECRET which every hub process shares. A row read by someone without the key
 * (a backup, a replica, an injected SELECT) does not sign anything. The additional data binds a
 * sealed secret to its subscription, so a sealed value copied onto another row does not open.
 */
const PREFIX = 'whsec_';
const SEALED_VERSION = 'v1';

export function newSigningSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

export interface SecretBox {
  seal(secret: string, subscriptionId: string): string;
  open(sealed: string, subscriptionId: string): string;
}

export function secretBox(keyMaterial: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', keyMaterial, 'returnee-hub webhook salt', 'webhook secret key v1', 32));
  return {
    seal(secret, subscriptionId) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(subscriptionId));
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return `${SEALED_VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed, subscriptionId) {
      const [version, data] = sealed.split('.');
      if (version !== SEALED_VERSION || !data) throw new Error('webhook secret: unknown sealed format');
      const raw = Buffer.from(data, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(subscriptionId));
      decipher.setAuthTag(raw.subarray(12, 28));
      // Throws when the key is not the one that sealed it (HUB_WEBHOOK_SECRETS_KEY changed).
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/**
 * The `webhook-signature` header: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` per secret,
 * space-separated (Standard Webhooks), computed by the reference library. During a rotation's
 * overlap both secrets sign, so a receiver holding either verifies.
 */
export function signatureHeader(secrets: readonly string[], id: string, timestamp: Date, body: string): string {
  return secrets.map((s) => new Webhook(s).sign(id, timestamp, body)).join(' ');
}
