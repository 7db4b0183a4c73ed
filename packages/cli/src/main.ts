#!/usr/bin/env node
/**
 * The `statevisor` binary.
 *
 * @module
 */
import { cli } from './cli.ts';

process.exitCode = await cli(process.argv.slice(2), {
  argv: [],
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
