/**
 * Preloaded (`node -r`) into the hub by bench/api/explain-reads.ts: appends every statement the
 * process sends to PostgreSQL, with its bound values, to the file named by SQL_CAPTURE_FILE (one
 * JSON object a line), so that the read statements can be EXPLAINed exactly as the hub sent them.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const file = process.env.SQL_CAPTURE_FILE;
const pg = require(require.resolve('pg', { paths: [process.cwd(), path.join(process.cwd(), 'node_modules')] }));
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function capturedQuery(config, values, ...rest) {
  if (file) {
    const text = typeof config === 'string' ? config : config && config.text;
    const bound = Array.isArray(values) ? values : config && Array.isArray(config.values) ? config.values : [];
    if (typeof text === 'string') fs.appendFileSync(file, `${JSON.stringify({ text, values: bound })}\n`);
  }
  return query.call(this, config, values, ...rest);
};
