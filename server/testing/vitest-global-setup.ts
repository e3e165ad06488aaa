import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Every simulator a test starts keeps its sessions in a store of this run's own, never in the
 * user's ~/.maestro-sim (where runs would pile up). Tests that need a store of their own still
 * set MAESTRO_SIM_HOME themselves. Test workers are forked after this runs, so they inherit it.
 */
export default function setup() {
  const simHome = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-vitest-sim-"));
  process.env.MAESTRO_SIM_HOME ??= simHome;
  return () => fs.rmSync(simHome, { recursive: true, force: true });
}
