#!/usr/bin/env node
// The `maestro` CLI's entry. `--version` answers from package.json alone: no parser, no other
// module, so a script probing for the CLI pays only node's own start (bench/cli.ts, ≤ 150 ms).
import { readFileSync } from "node:fs";

const first = process.argv[2];
if (process.argv.length === 3 && (first === "--version" || first === "-V")) {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${pkg.version}\n`);
} else {
  const { main } = await import("../cli/main.mjs");
  await main(process.argv);
}
