import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import { bridgeArgv } from "../scripts/server-bundle.mjs";

export const ROOT = path.resolve(import.meta.dirname, "..");
const TSX = ["--import", "tsx"];

/**
 * Starts the real bridge as `maestro start` does (its bundle when fresh, else `server/main.ts`
 * under tsx) and resolves with its URL once it prints it.
 */
export function startBridge(
  dataDir: string,
  extraEnv: Record<string, string> = {},
): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  // CI starts the bridge with no $SHELL, like a service manager would: do the same everywhere,
  // so terminals always open the shell a bridge picks on its own (server/services/terminals/shell.ts).
  const { SHELL: _shell, ...inherited } = process.env;
  const child = spawn(process.execPath, [...bridgeArgv(), "--port", "0", "--no-qr"], {
    cwd: ROOT,
    // Every e2e test pairs its own browser from 127.0.0.1: lift the per-client pairing limit
    // (its behaviour has its own test in server/http/bridge.test.ts).
    // The simulator's session store too lives in the test's data dir, not in the user's home
    // (where runs would pile up and one run's sessions would show in another's explorer).
    env: {
      ...inherited,
      MAESTRO_HOME: dataDir,
      MAESTRO_SIM_HOME: path.join(dataDir, "simulator"),
      NEXT_TELEMETRY_DISABLED: "1",
      MAESTRO_PAIR_ATTEMPTS_PER_MINUTE: "1000",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bridge did not start in 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(/Maestro is running at (http:\/\/\S+)/);
      if (m && /Pair a device|Pair another device/.test(output)) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child, output: () => output });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`bridge exited with ${code}:\n${output}`));
    });
  });
}

/** A fresh one-time pairing URL for the bridge using `dataDir` (what `npm run pair` prints). */
export function freshPairingUrl(dataDir: string, base: string): string {
  const r = spawnSync(process.execPath, [...TSX, "server/cli/pair.ts", "--no-qr"], {
    cwd: ROOT,
    env: { ...process.env, MAESTRO_HOME: dataDir },
    encoding: "utf8",
  });
  const token = r.stdout.match(/#token=([A-Za-z0-9_-]{43})/)?.[1];
  if (!token) throw new Error(`npm run pair printed no token:\n${r.stdout}\n${r.stderr}`);
  return `${base}/pair#token=${token}`;
}
