import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { AuditMaintenance } from '../../src/trail/audit-maintenance';
import type { Knex } from '@mikro-orm/postgresql';
import { AuditRecorder, type AuditEntry } from '../../src/trail/audit-recorder';
import { loadOrCreateSigningKey } from '../../src/trail/audit-signing-key';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { createLogger } from '../../src/logger';

/**
 * One writer process of bench/audit/audit-throughput.ts: a hub's audit path without HTTP.
 * `IN_FLIGHT` loops each record one read event and wait until it is durable (as a read
 * request does), through the real recorder (group commit), while this process's sealer runs
 * as in a serving hub. Starts on "go" on stdin; prints {"events": n, "ms": t}.
 */
const seconds = Number(process.env.SECONDS ?? 10);
const inFlight = Number(process.env.IN_FLIGHT ?? 8);
const returnees = Array.from({ length: 1000 }, () => randomUUID());
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];

function readEntry(): AuditEntry {
  const id = pick(returnees);
  return {
    action: 'READ',
    entityType: 'Returnee',
    entityId: id,
    returneeId: id,
    fields: ['id', 'caseNumber', 'givenName', 'familyName', 'region'],
    deniedFields: ['address'],
    outcome: 'SUCCESS',
    operation: 'returnee',
  };
}

/**
 * 50 staff members in 10 agencies of this process's own: the database refuses an event whose
 * staff id is not an active staff member of the agency it names (Migration20261207000000).
 */
async function benchActors(knex: Knex): Promise<{ staffId: string; agencyId: string }[]> {
  const agencies = Array.from({ length: 10 }, () => randomUUID());
  const actors = Array.from({ length: 50 }, (_, i) => ({ staffId: randomUUID(), agencyId: agencies[i % agencies.length] }));
  await knex.raw(
    `insert into agency (id, code, name, sector, country, created_at)
    select a, 'bench-' || a, 'Bench agency', 'SOCIAL', 'KZ', now() from unnest(?::uuid[]) a`,
    [`{${agencies.join(',')}}`],
  );
  await knex.raw(
    `insert into staff_member (id, username, display_name, agency_id, roles, active, created_at)
    select s, 'bench-' || s, 'Bench caseworker', a, '{CASEWORKER}', true, now() from unnest(?::uuid[], ?::uuid[]) as t(s, a)`,
    [`{${actors.map((a) => a.staffId).join(',')}}`, `{${actors.map((a) => a.agencyId).join(',')}}`],
  );
  return actors;
}

async function run(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('warn');
  const db = await openDatabase(config, log);
  const recorder = new AuditRecorder(db.orm.em.fork(), log);
  const actors = await benchActors(db.orm.em.getConnection().getKnex());
  const audit = await new AuditMaintenance(
    db.openMaintenancePool(),
    await loadOrCreateSigningKey(config.dataDir, config.audit.signingKey),
    config.audit,
    log,
  ).start();
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const started = Date.now();
  const until = started + seconds * 1000;
  let events = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (Date.now() < until) {
        await recorder.durably({ requestId: randomUUID(), ...pick(actors), purpose: 'Follow-up of screening results' }, [readEntry()]);
        events++;
      }
    }),
  );
  process.stdout.write(`${JSON.stringify({ events, ms: Date.now() - started })}\n`);
  await audit.stop();
  await db.close();
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
