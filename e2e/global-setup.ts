import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, startBridge } from "./bridge-process";

/** One real bridge for the whole e2e run, on a free port, with its own data dir. */
export default async function globalSetup() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-e2e-"));
  // The test-only gh stand-in (test/bin/gh) comes first on the bridge's PATH; its state (logged
  // in or not, the pull requests it "opened") lives in the data dir, where a spec can see it.
  const fakeGh = path.join(dataDir, "fake-gh");
  fs.mkdirSync(fakeGh);
  const bridge = await startBridge(dataDir, {
    PATH: `${path.join(ROOT, "test", "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
    MAESTRO_FAKE_GH_DIR: fakeGh,
  });
  process.env.MAESTRO_E2E_URL = bridge.url;
  process.env.MAESTRO_E2E_HOME = dataDir;
  process.env.MAESTRO_E2E_FIRST_PAIRING = bridge.output().match(/(http:\/\/\S+\/pair#token=\S+)/)?.[1] ?? "";
  return async () => {
    bridge.child.kill("SIGTERM");
    await new Promise((r) => bridge.child.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
