/**
 * Preloaded (`node -r`) into every contender of `npm run bench`: counts the statements the
 * process sends to PostgreSQL, so "SQL statements per request" is measured the same way for
 * the hub, the raw baseline and PostGraphile, on any PostgreSQL server (pg_stat_statements
 * needs a preload on the server, which a shared server may not have).
 *
 * Every contender talks to PostgreSQL through `pg`'s `Client#query` (MikroORM via knex,
 * PostGraphile via @dataplan/pg, the raw server directly); one call is one statement, as
 * BEGIN and COMMIT are. The cost is an integer increment per statement. While the bench
 * asks for it over the IPC channel the statement texts are tallied too, so a count can be
 * explained. It also reports the process's CPU time, so the bench can tell CPU per request,
 * which a shared machine disturbs far less than throughput.
 */
'use strict';

const { AsyncLocalStorage } = require('node:async_hooks');
const http = require('node:http');
const path = require('node:path');

/** Statements sent on behalf of an HTTP request (in its async context), and all statements. */
let count = 0;
let inRequests = 0;
const request = new AsyncLocalStorage();
let tracing = false;
let texts = new Map();

function textOf(config) {
  const text = typeof config === 'string' ? config : config && typeof config.text === 'string' ? config.text : '?';
  // MikroORM inlines values: fold literals so that one statement shape is one entry.
  return text
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\b\d+\b/g, '?')
    .replace(/\?(, \?)+/g, '?, …')
    .replace(/\s+/g, ' ')
    .slice(0, 160);
}

function patch(pg) {
  const Client = pg.Client;
  if (!Client || Client.prototype.__benchCounted) return;
  const query = Client.prototype.query;
  Client.prototype.query = function countedQuery(config, ...rest) {
    count++;
    if (tracing && request.getStore()) {
      inRequests++;
      const t = textOf(config);
      texts.set(t, (texts.get(t) ?? 0) + 1);
    }
    return query.call(this, config, ...rest);
  };
  Client.prototype.__benchCounted = true;
}

// While tracing, each request runs in an async context of its own, so that the statements it
// causes (also those run later on its behalf, as the hub's audit group commit) are told apart
// from background work (the hub's audit sealer on a timer).
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitInContext(event, ...args) {
  if (event === 'request' && tracing) return request.run(true, () => emit.call(this, event, ...args));
  return emit.call(this, event, ...args);
};

// The `pg` the contender itself loads: resolved from its working directory.
patch(require(require.resolve('pg', { paths: [process.cwd(), path.join(process.cwd(), 'node_modules')] })));

if (typeof process.send === 'function') {
  // `{ sql: 'count', trace }`: the count so far and the statements tallied since the last
  // call; tallying goes on while `trace` is true.
  process.on('message', (message) => {
    if (!message || typeof message !== 'object' || message.sql !== 'count') return;
    const statements = [...texts.entries()].sort((a, b) => b[1] - a[1]).map(([text, calls]) => ({ text, calls }));
    texts = new Map();
    tracing = message.trace === true;
    const cpu = process.cpuUsage();
    process.send({ sqlCount: count, inRequests, statements, cpuMs: (cpu.user + cpu.system) / 1000 });
  });
  process.channel?.unref();
  // The bench is gone (killed): do not outlive it.
  process.once('disconnect', () => process.exit(1));
}
