import { randomBytes } from 'node:crypto';

/**
 * A family name no other record of the shared test database has or resembles: random letters
 * throughout. The duplicate matcher finds similar names (trigrams over name keys), so names
 * sharing a prefix (a timestamp, a counter) paired across a test's families and, in the
 * DATABASE_URL pass where every suite writes to one database, across suites.
 */
export function unrelatedFamilyName(): string {
  const letters = Array.from(randomBytes(12), (b) => String.fromCharCode(97 + (b % 26))).join('');
  return `${letters.charAt(0).toUpperCase()}${letters.slice(1)}`;
}
