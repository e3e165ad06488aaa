import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataDirFor, maestro, startFakeBridge, type FakeBridge } from "./testing/fake-bridge";

/**
 * The CLI's start budget (bench/cli.ts) holds only while its start path stays plain node: this
 * records every module a real run loads and refuses the server, generated Prisma, tsx, Next, zod
 * and tRPC (the lint rule on cli/ says the same statically; this catches what it cannot see, like
 * a dependency that pulls one in).
 */
const FORBIDDEN = /\/(server|generated)\/|\/node_modules\/(tsx|@prisma|prisma|next|zod|@trpc|superjson)\//;

let bridge: FakeBridge;
let home: string;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-loads-"));

beforeAll(async () => {
  bridge = await startFakeBridge();
  home = dataDirFor(bridge);
});
afterAll(async () => {
  await bridge.close();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function loads(args: string[], nodeArgs: string[] = []) {
  const file = path.join(tmp, `${args.length}-${args.at(-1)}.txt`);
  const r = await maestro(args, { RECORD_LOADS: file }, [
    "--import",
    path.join(import.meta.dirname, "testing", "record-loads.mjs"),
    ...nodeArgs,
  ]);
  expect(r.code, r.stderr).toBe(0);
  return fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
}

describe("the CLI's start path", () => {
  it("--version loads nothing but the bin", async () => {
    const modules = await loads(["--version"]);
    expect(modules.some((m) => m.endsWith("/bin/maestro.mjs"))).toBe(true);
    expect(modules.filter((m) => !m.startsWith("node:") && !m.endsWith("/bin/maestro.mjs"))).toEqual([]);
  });

  it("list agents --json loads commander and cli/, never the server, Prisma, tsx, Next, zod or tRPC", async () => {
    const modules = await loads(["--data-dir", home, "list", "agents", "--json"]);
    // The recorder saw the real work (else an empty list would pass).
    expect(modules.some((m) => m.endsWith("/cli/commands/agents.mjs"))).toBe(true);
    expect(modules.some((m) => m.includes("/node_modules/commander/"))).toBe(true);
    expect(modules.filter((m) => FORBIDDEN.test(m))).toEqual([]);
    expect(bridge.calls).toContain("agents.list");
  });
});

/**
 * Every CLI module on its own, so a new command module is covered the day it is added: loading
 * it (its top-level imports; commands load their work lazily) must pull in nothing forbidden.
 * cli/headless.mjs is the one door to the server (it loads it lazily, for headless mode).
 */
const CLI = import.meta.dirname;
const MODULES = ["", "commands", "program"]
  .flatMap((dir) => fs.readdirSync(path.join(CLI, dir)).map((f) => path.join(dir, f)))
  .filter((f) => f.endsWith(".mjs") && f !== "headless.mjs");

describe("every CLI module, loaded alone", () => {
  it("the walk finds the modules (and new ones with them)", () => {
    expect(MODULES).toEqual(expect.arrayContaining(["main.mjs", "commands/agents.mjs", "program/core.mjs", "program/define.mjs"]));
  });

  it.each(MODULES)("%s loads nothing of the server, Prisma, tsx, Next, zod or tRPC", async (module) => {
    const file = path.join(tmp, `${module.replace(/\//g, "-")}.txt`);
    const r = await importUnderRecorder(path.join(CLI, module), file);
    expect(r.code, r.stderr).toBe(0);
    const modules = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
    // The recorder saw this module load (else an empty list would pass).
    expect(modules.some((m) => m.endsWith(`/cli/${module}`))).toBe(true);
    expect(modules.filter((m) => FORBIDDEN.test(m))).toEqual([]);
  });
});

function importUnderRecorder(module: string, file: string) {
  const child = spawn(
    process.execPath,
    ["--import", path.join(CLI, "testing", "record-loads.mjs"), path.join(CLI, "testing", "import-module.mjs"), module],
    { env: { ...process.env, RECORD_LOADS: file }, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}
