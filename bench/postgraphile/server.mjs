/**
 * The PostGraphile v5 contender of `npm run bench`, run on the hub's Node 24 (.tools/node24/node;
 * PostGraphile 5 needs Node 22 or later, the machines have Node 20). It serves the bench database's
 * `public` tables and the `bench` schema's functions (bench/api/bench-sql.ts): the scoped,
 * consent-masked returnee rows and the health-assessment write, as GraphQL, with the Amber
 * preset's defaults and no authentication (PostGraphile's own way would be JWT + RLS; the row
 * and field rules live in the functions instead). It audits nothing.
 *
 * Environment: BENCH_PG_URL (the database), PORT, POOL_MAX. Prints `{"url": …}` when ready.
 */
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.BENCH_PG_URL,
      schemas: ['public', 'bench'],
      poolConfig: { max: Number(process.env.POOL_MAX ?? 20) },
    }),
  ],
  grafserv: { graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server);
await pgl.getSchema(); // build the schema before saying ready
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  Promise.resolve(pgl.release()).then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
