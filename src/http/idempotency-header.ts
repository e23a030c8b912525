import type { Request } from 'express';
import { badInput } from '../errors';

/** Visible ASCII without spaces, 8-128 characters: a UUID or any random token fits. */
const KEY = /^[\x21-\x7e]{8,128}$/;

/**
 * The `Idempotency-Key` request header (IETF draft-ietf-httpapi-idempotency-key-header): a
 * client sends one random key per intended mutation and the same key on every retry of it;
 * the mutation then takes effect at most once (src/request/idempotency.ts). It is ignored
 * on queries, which have no effect to repeat.
 */
export function idempotencyKeyOrThrow(req: Request): string | undefined {
  const raw = req.header('idempotency-key');
  if (raw === undefined) return undefined;
  // The draft sends the key as a structured-field string ("…"); a bare token is accepted too.
  const key = raw.trim().replace(/^"(.*)"$/, '$1');
  if (!KEY.test(key)) {
    throw badInput('Idempotency-Key must be 8 to 128 visible ASCII characters without spaces (a random UUID is a good key)');
  }
  return key;
}
