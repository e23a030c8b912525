import { Migration } from '@mikro-orm/migrations';

/**
 * The sealer's pending mark is a transaction id, no longer a snapshot (see
 * src/audit/audit-sealer.ts). A `pg_snapshot` lists as running only the transactions below its
 * xmax, which PostgreSQL sets to the newest *completed* transaction id + 1: a transaction that
 * took the newest id and is still open is missing from it, so "everything in that snapshot has
 * ended" could be true while an event below the pending mark was still uncommitted, and the
 * watermark moved past an event that was then never chained. `pending_xid` is the sealer's own
 * transaction id, taken after it read the high-water mark; the mark is settled once no
 * transaction with an id up to it is running. The old snapshots are no longer read.
 */
export class Migration20261126090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "audit_seal" add column "pending_xid" bigint null;`);
    this.addSql(`alter table "audit_seal" drop column "pending_snapshot";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "audit_seal" add column "pending_snapshot" text null;`);
    this.addSql(`alter table "audit_seal" drop column "pending_xid";`);
  }
}
