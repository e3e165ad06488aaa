import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { tempDir } from "../../testing/harness";
import { runCommand, verifyFeature } from "./verify";

const dir = tempDir("maestro-verify-");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const node = (code: string) => `$ ${process.execPath} -e "${code}"`;

describe("verification commands run for real, as argv", () => {
  test("exit status and output tail become the evidence; prose steps are the worker's", async () => {
    fs.writeFileSync(path.join(dir, "here.txt"), "x");
    const v = await verifyFeature(
      ["`test -f here.txt`", "the login page loads", node("console.log('out'); console.error('err'); process.exit(3)")],
      dir,
    );
    expect(v.commands).toBe(2);
    expect(v.passed).toBe(false);
    expect(v.steps.map((s) => [s.code, s.ok])).toEqual([
      [0, true],
      [null, true],
      [3, false],
    ]);
    expect(v.evidence).toContain("$ test -f here.txt → exit 0");
    expect(v.evidence).toMatch(/→ exit 3\nout\nerr/);
  });

  test("a shell operator is refused, never run through a shell", async () => {
    const v = await verifyFeature(["$ touch pwned.txt && echo hi", "`echo a > out.txt`"], dir);
    expect(v.passed).toBe(false);
    expect(v.steps.every((s) => s.code === null && !s.ok)).toBe(true);
    expect(v.evidence).toContain("runs without a shell");
    expect(fs.existsSync(path.join(dir, "pwned.txt"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "out.txt"))).toBe(false);
  });

  test("a quoted argument with shell characters is one literal argument", async () => {
    const r = await runCommand([process.execPath, "-e", "console.log(process.argv[1])", "a|b; $(x) > y"], dir, { timeoutMs: 10_000 });
    expect(r).toEqual({ code: 0, output: "a|b; $(x) > y" });
  });

  test("a missing program is 127, a timeout kills the command (124), output is capped to its tail", async () => {
    expect((await runCommand(["no-such-program-maestro"], dir, { timeoutMs: 5000 })).code).toBe(127);
    const started = Date.now();
    const slow = await runCommand([process.execPath, "-e", "setTimeout(() => {}, 60000)"], dir, { timeoutMs: 300 });
    expect(slow.code).toBe(124);
    expect(slow.output).toContain("Timed out");
    expect(Date.now() - started).toBeLessThan(5000);
    const loud = await runCommand([process.execPath, "-e", "process.stdout.write('a'.repeat(100000) + 'END')"], dir, { timeoutMs: 10_000 });
    expect(loud.output.length).toBeLessThan(5000);
    expect(loud.output.endsWith("END")).toBe(true);
  });

  test("a descendant that leaves the process group holding the output open does not hang the step, timed out or not", async () => {
    let started = Date.now();
    const ok = await runCommand(["sh", "-c", "setsid sleep 30 & echo started"], dir, { timeoutMs: 20_000 });
    expect(ok).toEqual({ code: 0, output: "started" });
    expect(Date.now() - started).toBeLessThan(5000);
    started = Date.now();
    const slow = await runCommand(["sh", "-c", "setsid sleep 30 & sleep 20"], dir, { timeoutMs: 300 });
    expect(slow.code).toBe(124);
    expect(slow.output).toContain("Timed out");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test("a character split across two chunks of output stays whole", async () => {
    const r = await runCommand(
      [
        process.execPath,
        "-e",
        "const b = Buffer.from('é'); process.stdout.write(b.subarray(0, 1)); setTimeout(() => process.stdout.write(b.subarray(1)), 100)",
      ],
      dir,
      { timeoutMs: 10_000 },
    );
    expect(r).toEqual({ code: 0, output: "é" });
  });

  test("an abort stops the running command", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const r = await runCommand([process.execPath, "-e", "setTimeout(() => {}, 60000)"], dir, { timeoutMs: 60_000, signal: ac.signal });
    expect(r.code).toBe(124);
    expect(r.output).toContain("Stopped.");
  });
});
