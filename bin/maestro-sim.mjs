#!/usr/bin/env node
// maestro-sim — a protocol-faithful stand-in for the agent CLIs. See simulator/main.mjs.
import { main } from "../simulator/main.mjs";

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`maestro-sim: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 70;
});
