import { Migration } from '@mikro-orm/migrations';

/**
 * The basis of every disclosure (docs/disclosure-basis.md): each READ event names, per section
 * disclosed, why it was lawful (own sector, consent, agreement, legal duty, break-glass).
 *
 * - `basis` (jsonb): the list as recorded, covered by the hash chain (audit-canonical.ts appends
 *   it to an event's canonical form only when present, so events stored before keep verifying).
 * - `basis_keys` (text[]): the same list as search keys (`CONSENT`, `CONSENT:<id>`,
 *   `AGREEMENT:<id>`, `AGREEMENT:<id>:<version>`, `BREAK_GLASS:<id>`…), also hashed; a GIN
 *   index over it lets `auditEvents` and the disclosure report filter by basis without a scan.
 *
 * Both nullable: no rewrite of the existing rows, and an event that disclosed nothing has none.
 */
export class Migration20261214090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "audit_event" add column "basis" jsonb null, add column "basis_keys" text[] null;`);
    this.addSql(`create index "audit_event_basis_keys_index" on "audit_event" using gin ("basis_keys");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "audit_event_basis_keys_index";`);
    this.addSql(`alter table "audit_event" drop column "basis", drop column "basis_keys";`);
  }
}
