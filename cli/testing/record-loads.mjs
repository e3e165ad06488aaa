// Preloaded with `node --import` by cli/load-guard.test.ts: records every module the process
// loads into $RECORD_LOADS: ESM through a resolve hook, CommonJS from require.cache at exit.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const file = process.env.RECORD_LOADS;
if (!file) throw new Error("RECORD_LOADS is not set");
register("./record-loads-hooks.mjs", import.meta.url, { data: { file } });
const cache = createRequire(import.meta.url).cache;
process.on("exit", () => {
  const urls = Object.keys(cache).map((p) => `cjs:${p}`);
  if (urls.length) appendFileSync(file, `${urls.join("\n")}\n`);
});
