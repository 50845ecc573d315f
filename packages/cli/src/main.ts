#!/usr/bin/env node
// The `paymesh` executable: `./run pnpm paymesh <command>` runs this file directly under Node's type
// stripping. Everything else lives in runCli so it can be tested without a process.
import { runCli } from "./cli.ts";

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  print: (line) => process.stdout.write(`${line}\n`),
  warn: (line) => process.stderr.write(`${line}\n`),
  stderr: process.stderr,
});
