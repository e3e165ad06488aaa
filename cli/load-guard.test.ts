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

async function loads(args: string[]) {
  const file = path.join(tmp, `${args.length}-${args.at(-1)}.txt`);
  const r = await maestro(args, { RECORD_LOADS: file }, ["--import", path.join(import.meta.dirname, "testing", "record-loads.mjs")]);
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
