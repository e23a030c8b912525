#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from './cli/run';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`hub: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
