import { UniqueConstraintViolationException } from '@mikro-orm/core';

/** A write refused by a unique constraint (a duplicate code, username, open access…): services turn it into CONFLICT. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof UniqueConstraintViolationException;
}
