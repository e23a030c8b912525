import type { HubConfig } from '../config';
import { openDatabase } from '../db/database';
import type { Logger } from '../logger';
import { AuditRecorder } from '../trail/audit-recorder';
import { seedDatabase } from '../seed/seed';

/** `hub seed`: deterministic demo data in whatever database the config names (or the embedded one). */
export async function runSeed(config: HubConfig, log: Logger, returnees: number, seed: number, duplicateRate?: number): Promise<number> {
  const db = await openDatabase(config, log);
  try {
    const started = Date.now();
    const em = db.orm.em.fork();
    const result = await seedDatabase(em, new AuditRecorder(em, log), { returnees, seed, duplicateRate });
    process.stdout.write(
      `seeded ${result.returnees} returnees, ${result.agencies} agencies, ${result.staff} staff, ` +
        `${result.healthAssessments} health assessments, ${result.caseAccesses} case accesses, ${result.referrals} referrals, ${result.consents} consents, ` +
        `${result.civilDocuments} civil documents, ${result.socialSupportMeasures} support measures, ${result.supportSessions} psychosocial sessions, ` +
        `${result.educationProgressNotes} education notes in ${Date.now() - started} ms\n` +
        `planted ${result.plantedDuplicates.length} duplicate registrations (families registered again by a second agency, see docs/matching.md)\n` +
        `demo users (get a token with \`npx hub token <username>\`):\n` +
        result.demoUsers
          .map(
            (u: { username: string; sector: string; country: string; roles: string[] }) =>
              `  ${u.username.padEnd(28)} ${u.sector.padEnd(10)} ${u.country} ${u.roles.join(',')}`,
          )
          .join('\n') +
        '\n',
    );
    return 0;
  } finally {
    await db.close();
  }
}
