// Scripted faults (MAESTRO_SIM_FAULT), pacing and padding, per dialect.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DIALECTS, allJson, byName, runSim, tempWorld } from "./harness";

let world: ReturnType<typeof tempWorld>;
beforeAll(() => {
  world = tempWorld();
});
afterAll(() => world.cleanup());

const PROMPT = "Do the first unchecked task in docs/plan.md and tick it.";
const DOC = "# Plan\r\n\r\n- [ ] First task\r\n- [ ] Second task";

function docDir(name: string) {
  const dir = path.join(world.cwd, name);
  fs.mkdirSync(path.join(dir, "docs"), { recursive: true });
  fs.writeFileSync(path.join(dir, "docs", "plan.md"), DOC);
  return dir;
}
const readDoc = (cwd: string) => fs.readFileSync(path.join(cwd, "docs", "plan.md"), "utf8");

describe.concurrent.each(DIALECTS)("$name faults", (d) => {
  const fault = (f: string, name: string, extra: Record<string, string> = {}) => {
    const cwd = docDir(`${name}-${d.name}`);
    return { cwd, run: () => runSim(d.args(PROMPT, { write: true }), { cwd, home: world.home, env: { MAESTRO_SIM_FAULT: f, ...extra } }) };
  };

  test("crash: session start and some text, a stack trace on stderr, exit 1, no final event", async () => {
    const { cwd, run } = fault("crash", "crash");
    const r = await run();
    expect(r.code).toBe(1);
    expect(allJson(r)).toBe(true);
    expect(d.isStart(r.events[0]!)).toBe(true);
    expect(r.events.length).toBeGreaterThanOrEqual(2);
    expect(r.events.some(d.isFinal)).toBe(false);
    expect(r.events.some((e) => e.type === "result" || e.type === "turn.completed" || e.type === "done")).toBe(false);
    expect(r.stderr).toMatch(/(Error|panicked)/);
    expect(r.stderr).toContain("simulated crash");
    expect(readDoc(cwd)).toBe(DOC);
  });

  test("malformed: exactly one non-JSON line and one unknown event type, then a normal finish", async () => {
    const { cwd, run } = fault("malformed", "malformed");
    const r = await run();
    expect(r.code).toBe(0);
    const bad = r.lines.filter((l) => {
      try {
        JSON.parse(l);
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toHaveLength(1);
    expect(bad[0]!.startsWith("{")).toBe(true);
    const unknown = r.events.filter((e) => !d.known.includes(e.type));
    expect(unknown).toHaveLength(1);
    expect(d.isStart(r.events[0]!)).toBe(true);
    expect(r.events.filter(d.isFinal)).toHaveLength(1);
    expect(readDoc(cwd)).toBe(DOC.replace("- [ ] First", "- [x] First"));
  });

  test("hang: the session start, then nothing until SIGTERM (exit 143)", async () => {
    const { cwd, run } = fault("hang", "hang");
    void run;
    const r = await runSim(d.args(PROMPT, { write: true }), {
      cwd,
      home: world.home,
      env: { MAESTRO_SIM_FAULT: "hang" },
      killOnFirstLine: "SIGTERM",
    });
    expect(r.code).toBe(143);
    expect(r.events.length).toBeGreaterThanOrEqual(1);
    expect(d.isStart(r.events[0]!)).toBe(true);
    expect(r.events.some(d.isFinal)).toBe(false);
    expect(readDoc(cwd)).toBe(DOC);
  });

  test("halt: a halt marker is appended to the document, nothing ticked", async () => {
    const { cwd, run } = fault("halt", "halt");
    const r = await run();
    expect(r.code).toBe(0);
    expect(readDoc(cwd)).toBe(DOC + "\r\n<!-- maestro:halt: simulator was told to halt -->\r\n");
    expect(d.reply(r.events)).toMatch(/^Halted: appended a halt marker to docs\/plan\.md/);
  });

  test("ratelimit: the CLI's own rate-limit error, a reset about a minute ahead", async () => {
    const { cwd, run } = fault("ratelimit", "rl");
    const before = Date.now();
    const r = await run();
    expect(r.code).toBe(1);
    expect(readDoc(cwd)).toBe(DOC);
    const ev = r.events;
    if (d.name === "claude") {
      expect(ev.map((e) => e.type)).toEqual(["system", "rate_limit_event", "assistant", "result"]);
      const info = ev[1]!.rate_limit_info;
      expect(info.status).toBe("rejected");
      expect(info.resetsAt * 1000).toBeGreaterThan(before + 30_000);
      expect(info.resetsAt * 1000).toBeLessThan(before + 120_000);
      expect(ev[2]!.error).toBe("rate_limit");
      expect(ev[3]).toMatchObject({ type: "result", subtype: "success", is_error: true });
      expect(ev[3]!.result).toMatch(/^You've hit your limit · resets \d{1,2}(:\d\d)?(am|pm) \(UTC\)$/);
    }
    if (d.name === "codex") {
      expect(ev.map((e) => e.type)).toEqual(["thread.started", "turn.started", "error", "turn.failed"]);
      expect(ev[2]!.message).toMatch(
        /^You've hit your usage limit\. .* try again at [A-Z][a-z]{2} \d{1,2}(st|nd|rd|th), \d{4} \d{1,2}:\d\d (AM|PM)\.$/,
      );
      expect(ev[3]!.error.message).toBe(ev[2]!.message);
    }
    if (d.name === "opencode") {
      expect(ev.map((e) => e.type)).toEqual(["error", "done"]);
      expect(ev[0]!.error).toMatchObject({ name: "APIError", data: { statusCode: 429, isRetryable: false } });
      const iso = /resets at (\S+Z)/.exec(ev[0]!.error.data.message)![1]!;
      expect(Date.parse(iso)).toBeGreaterThan(before + 30_000);
      expect(Date.parse(iso)).toBeLessThan(before + 120_000);
    }
    if (d.name === "gemini") {
      expect(ev.map((e) => e.type)).toEqual(["init", "message", "result"]);
      expect(ev[2]).toMatchObject({
        status: "error",
        error: { type: "TerminalQuotaError", message: expect.stringContaining("Your quota will reset after") },
      });
      expect(r.stderr).toContain("Error when talking to Gemini API");
    }
  });

  test("auth: the CLI's own not-logged-in error and status", async () => {
    const { run } = fault("auth", "auth");
    const r = await run();
    const ev = r.events;
    if (d.name === "claude") {
      expect(r.code).toBe(1);
      expect(ev.map((e) => e.type)).toEqual(["system", "assistant", "result"]);
      expect(ev[1]!.error).toBe("authentication_failed");
      expect(ev[2]).toMatchObject({ is_error: true, result: "Invalid API key · Please run /login" });
    }
    if (d.name === "codex") {
      expect(r.code).toBe(1);
      expect(ev.map((e) => e.type)).toEqual(["thread.started", "turn.started", "error", "turn.failed"]);
      expect(ev[3]!.error.message).toMatch(/401 Unauthorized/);
    }
    if (d.name === "opencode") {
      expect(r.code).toBe(1);
      expect(ev[0]!.error).toMatchObject({ name: "APIError", data: { statusCode: 401 } });
    }
    if (d.name === "gemini") {
      expect(r.code).toBe(41);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("Please set an Auth method");
    }
  });

  test("slow: measurable spacing between lines, and the reply in more chunks", async () => {
    const cwd = docDir(`slow-${d.name}`);
    const r = await runSim(d.args("Say hello.", {}), {
      cwd,
      home: world.home,
      env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "40" },
    });
    expect(r.code).toBe(0);
    expect(r.events.length).toBeGreaterThan(d.textSeq.length + 4);
    const gaps = r.times.slice(1).map((t, i) => t - r.times[i]!);
    gaps.sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]!).toBeGreaterThanOrEqual(30);
    expect(r.times.at(-1)! - r.times[0]!).toBeGreaterThanOrEqual((r.times.length - 1) * 25);
  });
});

describe.concurrent("pacing and padding", () => {
  test("MAESTRO_SIM_EVENTS pads the reply with N extra chunks; result holds the whole text", async () => {
    const r = await runSim(byName("claude").args("Say hello."), { cwd: world.cwd, home: world.home, env: { MAESTRO_SIM_EVENTS: "25" } });
    expect(r.code).toBe(0);
    const texts = r.events.filter((e) => e.type === "assistant" && e.message.content[0].type === "text");
    expect(texts).toHaveLength(26);
    expect(texts.map((e) => e.message.content[0].text).join("")).toBe(r.events.at(-1)!.result);
    expect(r.events.at(-1)!.result).toContain("[maestro-sim padding 25/25]");
  });

  test("MAESTRO_SIM_STAMP: each padding chunk carries the time it was written, the same in the result", async () => {
    const before = Date.now();
    const r = await runSim(byName("claude").args("Say hello."), {
      cwd: world.cwd,
      home: world.home,
      env: { MAESTRO_SIM_EVENTS: "5", MAESTRO_SIM_RATE: "100", MAESTRO_SIM_STAMP: "1" },
    });
    expect(r.code).toBe(0);
    const texts = r.events
      .filter((e) => e.type === "assistant" && e.message.content[0].type === "text")
      .map((e) => e.message.content[0].text);
    const stamps = texts.flatMap((t: string) => [...t.matchAll(/padding (\d)\/5 sent (\d+)\]/g)].map((m) => [Number(m[1]), Number(m[2])]));
    expect(stamps.map(([k]) => k)).toEqual([1, 2, 3, 4, 5]);
    // written in order, paced, and never before the run began
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]![1]).toBeGreaterThanOrEqual(stamps[i - 1]![1]!);
    expect(stamps[0]![1]).toBeGreaterThanOrEqual(before);
    expect(stamps[4]![1]! - stamps[0]![1]!).toBeGreaterThanOrEqual(20);
    // the result repeats each chunk with the stamp it was first written with
    expect(texts.join("")).toBe(r.events.at(-1)!.result);
  });

  test("MAESTRO_SIM_RATE paces events per second", async () => {
    const r = await runSim(byName("codex").args("Say hello."), {
      cwd: world.cwd,
      home: world.home,
      env: { MAESTRO_SIM_RATE: "50", MAESTRO_SIM_EVENTS: "5" },
    });
    expect(r.code).toBe(0);
    expect(r.lines.length).toBe(10);
    expect(r.times.at(-1)! - r.times[0]!).toBeGreaterThanOrEqual(9 * 20 * 0.8);
  });

  test("SIGINT mid-stream exits 130", async () => {
    const r = await runSim(byName("gemini").args("Say hello."), {
      cwd: world.cwd,
      home: world.home,
      env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "200" },
      killOnFirstLine: "SIGINT",
    });
    expect(r.code).toBe(130);
    expect(r.lines.length).toBeLessThan(4);
  });

  test("combined faults: slow,halt", async () => {
    const cwd = docDir("combo");
    const r = await runSim(byName("opencode").args(PROMPT), {
      cwd,
      home: world.home,
      env: { MAESTRO_SIM_FAULT: "slow, halt", MAESTRO_SIM_DELAY_MS: "5" },
    });
    expect(r.code).toBe(0);
    expect(readDoc(cwd)).toContain("<!-- maestro:halt:");
    expect(r.events.filter((e) => e.type === "text").length).toBeGreaterThan(4);
  });
});
