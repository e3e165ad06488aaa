import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { runCommand } from "./command.mjs";
import { resolveInside } from "./work.mjs";

let root: string;
let cwd: string;
let outside: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "sim-cmd-"));
  cwd = path.join(root, "project");
  outside = path.join(root, "outside");
  fs.mkdirSync(cwd);
  fs.mkdirSync(outside);
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("the simulator's command runner stays in the working folder", () => {
  test("a dangling link inside pointing outside is refused, and nothing is created outside", () => {
    fs.symlinkSync(path.join(outside, "made"), path.join(cwd, "link"));
    fs.symlinkSync(path.join(outside, "dir"), path.join(cwd, "dlink"));
    expect(resolveInside(cwd, "link").inside).toBe(false);
    expect(resolveInside(cwd, "dlink/sub").inside).toBe(false);
    expect(runCommand(cwd, "touch link")).toMatchObject({ ok: false, code: 1 });
    expect(runCommand(cwd, "mkdir -p dlink/sub")).toMatchObject({ ok: false, code: 1 });
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  test("a link to a folder outside is refused; plain paths and links inside still work", () => {
    fs.symlinkSync(outside, path.join(cwd, "out"));
    expect(runCommand(cwd, "touch out/x").ok).toBe(false);
    fs.mkdirSync(path.join(cwd, "real"));
    fs.symlinkSync(path.join(cwd, "real"), path.join(cwd, "in"));
    expect(runCommand(cwd, "touch in/x")).toMatchObject({ ok: true, code: 0 });
    expect(runCommand(cwd, "mkdir -p a/b")).toMatchObject({ ok: true });
    expect(fs.existsSync(path.join(cwd, "real", "x"))).toBe(true);
    expect(fs.statSync(path.join(cwd, "a", "b")).isDirectory()).toBe(true);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  test("rm is recursive only for -r/-R/-rf/-fr; other flags fail without touching anything", () => {
    fs.mkdirSync(path.join(cwd, "d"));
    fs.writeFileSync(path.join(cwd, "d", "f"), "x");
    for (const flag of ["--preserve-root", "-v", "-i", "--force"]) {
      expect(runCommand(cwd, `rm ${flag} d`)).toMatchObject({ ok: false, code: 127 });
    }
    expect(fs.existsSync(path.join(cwd, "d", "f"))).toBe(true);
    expect(runCommand(cwd, "rm d").ok).toBe(false);
    expect(runCommand(cwd, "rm -f d").ok).toBe(false);
    expect(runCommand(cwd, "rm -R d")).toMatchObject({ ok: true });
    expect(fs.existsSync(path.join(cwd, "d"))).toBe(false);
    expect(runCommand(cwd, "rm -f gone")).toMatchObject({ ok: true });
  });

  test("a && b runs both, and stops at the first failure", () => {
    expect(runCommand(cwd, "touch a && mkdir d")).toMatchObject({ ok: true });
    expect(fs.existsSync(path.join(cwd, "d"))).toBe(true);
    expect(runCommand(cwd, "rm --no d && touch z").ok).toBe(false);
    expect(fs.existsSync(path.join(cwd, "z"))).toBe(false);
  });

  test.each([
    "touch a; rm -rf b",
    "touch a && rm -rf b; x",
    "touch a & rm -rf b",
    "touch a || rm -rf b",
    "touch a | rm -rf b",
    "touch a > b",
    "touch a < b",
    "touch `echo b`",
    "touch $(echo b)",
  ])("%s fails as a whole, like an unknown command", (cmd) => {
    fs.mkdirSync(path.join(cwd, "b"));
    const r = runCommand(cwd, cmd);
    expect(r).toMatchObject({ ok: false, code: 127 });
    expect(r.output).toMatch(/simple commands joined by &&/);
    expect(fs.existsSync(path.join(cwd, "a"))).toBe(false);
    expect(fs.existsSync(path.join(cwd, "b"))).toBe(true);
  });
});
