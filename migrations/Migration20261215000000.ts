import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks (src/webhooks/, docs/webhooks.md): agencies' subscriptions, and the transactional
 * outbox — events written in the transaction of the change they announce, their deliveries to
 * the subscriptions of agencies that may see the record, and every attempt (status code and
 * latency; never a response body). The hub's app role gets the usual DML on them (app-role.ts).
 */
export class Migration20261215000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "webhook_event" ("id" uuid not null, "seq" bigserial, "type" text not null, "returnee_id" uuid not null, "subject_type" text not null, "subject_id" uuid not null, "occurred_at" timestamptz not null default now(), constraint "webhook_event_pkey" primary key ("id"));`);
    this.addSql(`alter table "webhook_event" add constraint "webhook_event_seq_unique" unique ("seq");`);
    this.addSql(`create index "webhook_event_returnee_id_index" on "webhook_event" ("returnee_id");`);

    this.addSql(`create table "webhook_subscription" ("id" uuid not null, "agency_id" uuid not null, "url" text not null, "event_types" text[] not null, "description" text null, "secret_sealed" text not null, "previous_secret_sealed" text null, "previous_secret_expires_at" timestamptz null, "status" text check ("status" in ('ACTIVE', 'FAILING', 'DISABLED')) not null default 'ACTIVE', "failing_since" timestamptz null, "created_by_id" uuid null, "created_at" timestamptz not null, "secret_rotated_at" timestamptz null, "disabled_at" timestamptz null, constraint "webhook_subscription_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_subscription_agency_id_index" on "webhook_subscription" ("agency_id");`);

    this.addSql(`create table "webhook_delivery" ("id" bigserial primary key, "event_id" uuid not null, "subscription_id" uuid not null, "order_key" uuid not null, "event_seq" bigint not null, "status" text check ("status" in ('PENDING', 'DELIVERED', 'FAILED', 'CANCELLED')) not null default 'PENDING', "attempts" int not null default 0, "created_at" timestamptz not null default now(), "next_attempt_at" timestamptz not null default now(), "leased_until" timestamptz null, "lease_owner" text null, "delivered_at" timestamptz null, "last_status_code" int null);`);
    this.addSql(`create index "webhook_delivery_order_index" on "webhook_delivery" ("subscription_id", "order_key", "event_seq") where "status" = 'PENDING';`);
    this.addSql(`create index "webhook_delivery_due_index" on "webhook_delivery" ("next_attempt_at") where "status" = 'PENDING';`);
    this.addSql(`create index "webhook_delivery_subscription_id_id_index" on "webhook_delivery" ("subscription_id", "id");`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_event_id_subscription_id_unique" unique ("event_id", "subscription_id");`);

    this.addSql(`create table "webhook_attempt" ("id" bigserial primary key, "delivery_id" bigint not null, "attempted_at" timestamptz not null, "status_code" int null, "latency_ms" int not null, "error" text null);`);
    this.addSql(`create index "webhook_attempt_delivery_id_index" on "webhook_attempt" ("delivery_id");`);

    this.addSql(`alter table "webhook_subscription" add constraint "webhook_subscription_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade;`);
    this.addSql(`alter table "webhook_subscription" add constraint "webhook_subscription_created_by_id_foreign" foreign key ("created_by_id") references "staff_member" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_event_id_foreign" foreign key ("event_id") references "webhook_event" ("id") on update cascade;`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_subscription_id_foreign" foreign key ("subscription_id") references "webhook_subscription" ("id") on update cascade;`);

    this.addSql(`alter table "webhook_attempt" add constraint "webhook_attempt_delivery_id_foreign" foreign key ("delivery_id") references "webhook_delivery" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_event_id_foreign";`);

    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_subscription_id_foreign";`);

    this.addSql(`alter table "webhook_attempt" drop constraint "webhook_attempt_delivery_id_foreign";`);

    this.addSql(`drop table if exists "webhook_event" cascade;`);

    this.addSql(`drop table if exists "webhook_subscription" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);

    this.addSql(`drop table if exists "webhook_attempt" cascade;`);
  }

}
