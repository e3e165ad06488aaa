import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../server/db";
import { buildApp, needsBuild } from "../server/next-build";
import { BIN, dataDirFor, maestro, ROOT, startFakeBridge, type FakeBridge } from "./testing/fake-bridge";

/** `maestro pair --cli` and `maestro doctor`, real bin, with no bridge, a fake one and a real one. */
const dirs: string[] = [];
const fresh = () => {
  const d = dataDirFor();
  dirs.push(d);
  return d;
};
let fake: FakeBridge;
beforeAll(async () => {
  fake = await startFakeBridge();
  if (needsBuild()) buildApp();
}, 300_000);
afterAll(async () => {
  await fake.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

async function cliRows(dataDir: string) {
  const db = openDatabase(dataDir);
  try {
    return await db.ownerSession.findMany({
      where: { kind: "cli" },
      select: { id: true, deviceName: true, userAgent: true, revokedAt: true },
    });
  } finally {
    await db.$disconnect();
  }
}

describe("with no bridge", () => {
  it("pair --cli mints in the database under the lock: the token alone on stdout, the rest on stderr", async () => {
    const dir = fresh();
    const r = await maestro(["--data-dir", dir, "pair", "--cli", "--name", "laptop"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd()).toMatch(TOKEN);
    expect(r.stdout.split("\n")).toHaveLength(2);
    expect(r.stderr).toContain('A CLI token "laptop" for another machine: shown only now. Settings → Devices lists it; revoke it there.');
    expect(await cliRows(dir)).toEqual([
      expect.objectContaining({ deviceName: "laptop", userAgent: "maestro CLI (remote)", revokedAt: null }),
    ]);
    // The lock was taken and given back.
    expect(fs.existsSync(path.join(dir, "maestro.lock"))).toBe(false);

    // An exported MAESTRO_URL (some other machine's bridge) changes nothing: this data dir it is.
    const json = await maestro(["--data-dir", dir, "-q", "pair", "--cli", "--json"], {
      MAESTRO_URL: fake.url,
      MAESTRO_TOKEN: fake.token,
    });
    expect(JSON.parse(json.stdout)).toEqual({ id: expect.any(String), name: "Remote CLI", token: expect.stringMatching(TOKEN), url: null });
    expect(json.stderr).toBe("");
  });

  it("pair --cli refuses while another maestro holds the data dir, and says who", async () => {
    const dir = fresh();
    const lock = (kind: string) =>
      fs.writeFileSync(
        path.join(dir, "maestro.lock"),
        JSON.stringify({ pid: process.pid, kind, startedAt: "2026-12-07T00:00:00.000Z", nonce: "n" }),
      );
    lock("headless");
    const headless = await maestro(["--data-dir", dir, "pair", "--cli"]);
    expect(headless).toMatchObject({ code: 1, stdout: "" });
    expect(headless.stderr).toBe(`maestro: a headless maestro (pid ${process.pid}) is running in ${dir}; wait for it or stop it.\n`);
    lock("bridge");
    const starting = await maestro(["--data-dir", dir, "pair", "--cli"]);
    expect(starting.stderr).toBe(
      `maestro: a Maestro bridge (pid ${process.pid}) is starting for ${dir}; run this again once it answers.\n`,
    );
  });

  it("start, pair and doctor refuse --url (exit 2); --name needs --cli", async () => {
    for (const cmd of [["start"], ["pair"], ["pair", "--cli"], ["doctor", "--json"]]) {
      const r = await maestro(["--url", "http://127.0.0.1:1", "--token", "t", ...cmd]);
      expect(r.code, cmd.join(" ")).toBe(2);
    }
    expect((await maestro(["--url", "http://127.0.0.1:1", "--token", "t", "doctor"])).stderr).toBe(
      "maestro: `maestro doctor` works on this machine's data dir only: drop --url (use --data-dir).\n",
    );
    const name = await maestro(["--data-dir", fresh(), "pair", "--name", "x"]);
    expect(name).toMatchObject({ code: 2, stderr: "maestro: --name goes with --cli.\n" });
  });

  it("doctor --json on a fresh data dir: every check passes, nothing is created", async () => {
    const dir = path.join(fresh(), "not-yet");
    const r = await maestro(["--data-dir", dir, "doctor", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ dataDir: dir, bridge: { running: false } });
    expect(report.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ["data dir", true],
      ["lock", true],
      ["bridge", true],
      ["CLI token", true],
    ]);
    expect(report.providers.find((p: { id: string }) => p.id === "simulator")).toMatchObject({ installed: true });
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("doctor finds a version skew and a readable token file (exit 1, with hints)", async () => {
    const dir = dataDirFor(fake);
    dirs.push(dir);
    fs.chmodSync(path.join(dir, "cli-token"), 0o644);
    const r = await maestro(["--data-dir", dir, "doctor", "--json"]);
    expect(r.code).toBe(1);
    const checks = JSON.parse(r.stdout).checks as { name: string; ok: boolean; detail: string; hint?: string }[];
    expect(checks.find((c) => c.name === "version")).toMatchObject({ ok: false, hint: "Restart the bridge from this checkout." });
    expect(checks.find((c) => c.name === "version")?.detail).toMatch(/^the bridge runs 9\.9\.9-fake, this CLI is \d/);
    expect(checks.find((c) => c.name === "CLI token")).toMatchObject({ ok: false, hint: `chmod 600 ${path.join(dir, "cli-token")}` });
    const human = await maestro(["--data-dir", dir, "doctor"]);
    expect(human.stdout).toMatch(/✗ version +the bridge runs 9\.9\.9-fake/);
  });
});

describe("with a real bridge", () => {
  it("pair --cli goes through the bridge; the token works remotely, survives a restart, and dies when revoked", async () => {
    const dir = fresh();
    const start = () => {
      const child = spawn(process.execPath, [BIN, "--data-dir", dir, "start", "--port", "0", "--no-qr"], {
        cwd: ROOT,
        env: { ...process.env, MAESTRO_HOME: "", MAESTRO_SIM_HOME: path.join(dir, "simulator"), NEXT_TELEMETRY_DISABLED: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      child.stderr.on("data", (c: Buffer) => (out += c.toString()));
      const exited = new Promise((r) => child.once("exit", r));
      return { child, exited, ready: () => expect.poll(() => out, { timeout: 120_000, interval: 200 }).toMatch(/Pair a device/) };
    };
    let bridge = start();
    try {
      await bridge.ready();
      const minted = await maestro(["--data-dir", dir, "pair", "--cli", "--name", "ci", "--json"]);
      expect(minted.code, minted.stderr).toBe(0);
      // The bridge holds the lock, so the database path would have refused: this came from the bridge.
      const { token, url, id } = JSON.parse(minted.stdout);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const remote = () =>
        maestro(["--url", JSON.parse(fs.readFileSync(path.join(dir, "bridge.json"), "utf8")).url, "--token", token, "status", "--json"]);
      expect(JSON.parse((await remote()).stdout)).toMatchObject({ mode: "remote", dataDir: null });

      const doctor = await maestro(["--data-dir", dir, "doctor", "--json"]);
      expect(doctor.code, doctor.stdout).toBe(0);
      const report = JSON.parse(doctor.stdout);
      expect(report.bridge).toMatchObject({ running: true, url });
      expect(report.checks.find((c: { name: string }) => c.name === "CLI token")).toMatchObject({
        ok: true,
        detail: "the bridge accepts it",
      });
      expect(report.checks.find((c: { name: string }) => c.name === "version")).toMatchObject({ ok: true });

      // A restart re-runs the local token's upkeep; the remote token is not the local one and lives on.
      bridge.child.kill("SIGTERM");
      await bridge.exited;
      bridge = start();
      await bridge.ready();
      expect((await remote()).code).toBe(0);
      // Settings → Devices revokes it: exit 5 from then on.
      expect((await maestro(["--data-dir", dir, "status"])).code).toBe(0);
      const db = openDatabase(dir);
      await db.ownerSession.update({ where: { id }, data: { revokedAt: new Date() } });
      await db.$disconnect();
      expect((await remote()).code).toBe(5);
    } finally {
      bridge.child.kill("SIGTERM");
      await bridge.exited;
    }
  }, 240_000);
});
