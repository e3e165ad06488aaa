// The claude adapter's asking invocation, parser and answer lines (lib/providers, lib/approvals)
// against the simulator's control protocol: what Maestro sends and reads, end to end, with a
// real process (the runner and the approvals service are not involved here).
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { AgentEvent } from "../lib/providers/events";
import { adapters } from "../lib/providers/registry";
import type { TurnSpec } from "../lib/providers/types";
import type { ApprovalReply } from "../server/services/approvals/gate";
import { BIN, tempWorld } from "./harness";

let world: ReturnType<typeof tempWorld>;
beforeAll(() => {
  world = tempWorld("maestro-sim-adapter-");
});
afterAll(() => world.cleanup());

type Request = Extract<AgentEvent, { type: "approval_request" }>;

/** One turn through the simulator adapter; `decide` answers each request. Resolves with every event. */
function turn(spec: Partial<TurnSpec> & { prompt: string }, decide: (r: Request) => ApprovalReply) {
  const cwd = fs.mkdtempSync(path.join(world.cwd, "t-"));
  const sim = adapters.simulator;
  const inv = sim.buildInvocation({ cwd, binary: BIN, simulator: { nodePath: process.execPath }, ...spec });
  expect(inv.stdinOpen).toBe(true);
  const parser = sim.createParser({ dialect: "claude", approvals: true });
  return new Promise<{ events: AgentEvent[]; cwd: string; code: number | null }>((resolve) => {
    const child = spawn(inv.command, inv.args, {
      cwd,
      env: { ...process.env, ...inv.env, MAESTRO_SIM_HOME: world.home },
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin.write(inv.stdin ?? "");
    const events: AgentEvent[] = [];
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      for (const e of parser.parse(line)) {
        events.push(e);
        if (e.type === "approval_request") child.stdin.write(sim.approvalReply!(e.requestId, decide(e), e.input, "claude")!);
        if (e.type === "done") child.stdin.end();
      }
    });
    child.on("close", (code) => resolve({ events, cwd, code }));
  });
}

test("ask: the adapter's argv makes the simulator ask; the parser reads the request; allow runs the write", async () => {
  const t = await turn({ prompt: "write a file named a.txt containing hi", permissionMode: "ask" }, () => ({ behavior: "allow" }));
  const req = t.events.find((e): e is Request => e.type === "approval_request")!;
  const call = t.events.find((e) => e.type === "tool_call");
  expect(req).toMatchObject({ toolName: "Write", input: { file_path: path.join(t.cwd, "a.txt"), content: "hi\n" } });
  expect(call && call.type === "tool_call" && call.id).toBe(req.toolUseId);
  expect(fs.readFileSync(path.join(t.cwd, "a.txt"), "utf8")).toBe("hi\n");
  expect(t.events.at(-1)).toMatchObject({ type: "done", ok: true });
  expect(t.code).toBe(0);
});

test("deny: the reason reaches the reply; no error about auto-approve", async () => {
  const t = await turn({ prompt: "write a file named a.txt containing hi", permissionMode: "ask" }, () => ({
    behavior: "deny",
    message: "Not now",
  }));
  expect(fs.existsSync(path.join(t.cwd, "a.txt"))).toBe(false);
  expect(t.events.filter((e) => e.type === "error")).toEqual([]);
  expect(t.events.find((e) => e.type === "tool_result")).toMatchObject({ output: "Not now", isError: true });
  expect(t.events.at(-1)).toMatchObject({ type: "done", ok: true, result: expect.stringContaining("permission denied (Not now)") });
});

test("a rule passed as --allowedTools: no request; a suggested rule comes from the request", async () => {
  const asked = await turn({ prompt: "run `touch b.txt`", permissionMode: "ask" }, () => ({
    behavior: "allow",
    sessionRule: "Bash(touch:*)",
  }));
  const req = asked.events.find((e): e is Request => e.type === "approval_request")!;
  expect(req.suggestedRule).toBe("Bash(touch b.txt)");
  const ruled = await turn({ prompt: "run `touch b.txt`", permissionMode: "ask", allowRules: ["Bash(touch:*)"] }, () => {
    throw new Error("asked despite the rule");
  });
  expect(ruled.events.some((e) => e.type === "approval_request")).toBe(false);
  expect(fs.existsSync(path.join(ruled.cwd, "b.txt"))).toBe(true);
});

test("a question: requiresUserInteraction; the answers reach the reply", async () => {
  const t = await turn({ prompt: "ask me which colour: red or blue", permissionMode: "ask" }, (r) => ({
    behavior: "allow",
    updatedInput: { ...(r.input as object), answers: { "Which colour?": "Blue" } },
  }));
  expect(t.events.find((e) => e.type === "approval_request")).toMatchObject({ toolName: "AskUserQuestion", requiresUserInteraction: true });
  expect(t.events.at(-1)).toMatchObject({ type: "done", result: expect.stringContaining("You answered: “Which colour?” → Blue.") });
});
