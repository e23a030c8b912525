import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getMetadataStorage } from 'type-graphql';
import { renderSchema } from '../src/cli/run';
import { openOrm } from '../src/db/orm';
import { buildHubSchema } from '../src/graphql/schema';
import { MIGRATIONS } from '../migrations';
import { SCHEMA_FILE } from '../src/paths';
import { startHub, testDatabaseUrl } from './support/hub';

/** The reviewed artefacts stay true: SDL, guards on every root field, migrations. */
describe('schema', () => {
  it('schema/schema.graphql is current (run `npm run schema` and commit it)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await renderSchema());
  });

  it('names every operation of the contract', async () => {
    const schema = await buildHubSchema();
    const queries = Object.keys(schema.getQueryType()!.getFields());
    const mutations = Object.keys(schema.getMutationType()!.getFields());
    expect(queries).toEqual(expect.arrayContaining(['me', 'agencies', 'returnee', 'returnees']));
    expect(mutations).toEqual(
      expect.arrayContaining([
        'createAgency',
        'createStaffMember',
        'deactivateStaffMember',
        'registerReturnee',
        'updateReturnee',
        'recordHealthAssessment',
        'grantCaseAccess',
      ]),
    );
    expect(schema.getType('Returnee')!.toConfig()).toHaveProperty('fields.redactedFields');
  });

  it('guards every root field (deny by default: a new resolver without @Authorized fails here)', async () => {
    const schema = await buildHubSchema();
    const roots = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())];
    const storage = getMetadataStorage();
    const guarded = new Set(storage.authorizedFields.map((f) => f.fieldName));
    const resolvers = [...storage.queries, ...storage.mutations].map((q) => q.schemaName);
    expect(resolvers.sort()).toEqual([...roots].sort());
    expect(roots.filter((r) => !guarded.has(r))).toEqual([]);
  });
});

describe('migrations', () => {
  it('lists every migration file in migrations/index.ts', () => {
    const dir = path.dirname(SCHEMA_FILE).replace(/schema$/, 'migrations');
    const files = readdirSync(dir)
      .filter((f) => /^Migration\d+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(MIGRATIONS.map((m) => m.name)).toEqual(files.sort());
  });

  it('leave no difference between the entities and the migrated database', async () => {
    const orm = await openOrm(testDatabaseUrl());
    try {
      const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
      expect(diff.trim()).toBe('');
    } finally {
      await orm.close(true);
    }
  });
});

describe('health endpoint', () => {
  it('answers 200 while the database answers and 503 when it does not', async () => {
    const hub = await startHub();
    try {
      const ok = await fetch(`${hub.url}/healthz`);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      await hub.db.orm.close(true); // the hub's connections are gone: the database no longer answers it
      const down = await fetch(`${hub.url}/healthz`);
      expect(down.status).toBe(503);
    } finally {
      await hub.stop().catch(() => undefined);
    }
  });
});
