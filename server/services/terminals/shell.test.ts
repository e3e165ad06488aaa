import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { defaultShell, resolveShell } from "./shell";

/** A PATH of our own with fake shells, so the answer doesn't depend on this machine. */
let dir: string;
let withBash: string;
let withZsh: string;
let empty: string;

function fakeShell(folder: string, name: string): string {
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, name);
  fs.writeFileSync(file, "#!/bin/sh\n", { mode: 0o755 });
  return file;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-shell-"));
  withBash = path.join(dir, "a");
  withZsh = path.join(dir, "b");
  empty = path.join(dir, "c");
  fakeShell(withBash, "bash");
  fakeShell(withZsh, "zsh");
  fakeShell(dir, "sh");
  fakeShell(dir, "fish");
  fs.mkdirSync(empty);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("defaultShell", () => {
  test("$SHELL wins when the bridge was started from a shell", () => {
    expect(defaultShell({ SHELL: "/usr/bin/fish", PATH: withBash }, path.join(dir, "sh"))).toBe("/usr/bin/fish");
  });

  test("without $SHELL, the login shell from the password database", () => {
    expect(defaultShell({ PATH: withBash }, path.join(dir, "fish"))).toBe(path.join(dir, "fish"));
  });

  test("a bare POSIX sh as login shell gives way to bash, then zsh, for line editing and history", () => {
    expect(defaultShell({ PATH: [empty, withBash, withZsh].join(path.delimiter) }, path.join(dir, "sh"))).toBe(path.join(withBash, "bash"));
    expect(defaultShell({ PATH: [empty, withZsh].join(path.delimiter) }, path.join(dir, "sh"))).toBe(path.join(withZsh, "zsh"));
  });

  test("with neither bash nor zsh, the login sh; with no login shell at all, /bin/sh", () => {
    expect(defaultShell({ PATH: empty }, path.join(dir, "sh"))).toBe(path.join(dir, "sh"));
    expect(defaultShell({ PATH: empty }, null)).toBe("/bin/sh");
  });

  test("a login shell that isn't there is passed over", () => {
    expect(defaultShell({ PATH: withZsh }, "/no/such/shell")).toBe(path.join(withZsh, "zsh"));
  });
});

describe("resolveShell", () => {
  test("a bare name is looked up on PATH, an absolute path is checked", () => {
    expect(resolveShell("zsh", [empty, withZsh].join(path.delimiter))).toBe(path.join(withZsh, "zsh"));
    expect(resolveShell(path.join(dir, "fish"), empty)).toBe(path.join(dir, "fish"));
    expect(() => resolveShell("zsh", empty)).toThrow(/not on PATH/);
    expect(() => resolveShell(path.join(empty, "nope"), empty)).toThrow(/does not exist/);
  });
});
