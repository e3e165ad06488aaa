import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startBridge } from "./bridge-process";

/** One real bridge for the whole e2e run, on a free port, with its own data dir. */
export default async function globalSetup() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-e2e-"));
  const bridge = await startBridge(dataDir);
  process.env.MAESTRO_E2E_URL = bridge.url;
  process.env.MAESTRO_E2E_HOME = dataDir;
  process.env.MAESTRO_E2E_FIRST_PAIRING = bridge.output().match(/(http:\/\/\S+\/pair#token=\S+)/)?.[1] ?? "";
  return async () => {
    bridge.child.kill("SIGTERM");
    await new Promise((r) => bridge.child.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
