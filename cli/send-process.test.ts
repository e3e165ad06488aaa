import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../server/testing/harness";
import { maestro } from "./testing/fake-bridge";
import { startBridgeProcess } from "./testing/real-bridge";

/**
 * The must-show paths once more against the bridge as its own process (`server/main.ts`, as
 * `maestro start` runs it), every step through the real bin: create an agent, send (text and
 * usage), continue the tab, History, a share link revoked twice, an unknown agent, and a stopped
 * bridge. (cli/conversation.test.ts and cli/ops.test.ts cover each command in depth against the
 * same server code in-process.)
 */
let home: string;
let project: string;
let bridge: Awaited<ReturnType<typeof startBridgeProcess>>;

beforeAll(async () => {
  home = tempDir("maestro-cli-proc-");
  project = tempDir("maestro-cli-proc-project-");
  bridge = await startBridgeProcess(home);
}, 90_000);
afterAll(async () => {
  await bridge?.stop();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(project, { recursive: true, force: true });
});

const cli = (...args: string[]) => maestro(["--data-dir", home, ...args]);
const json = (s: string) => JSON.parse(s);

describe("maestro against the bridge process", () => {
  it("create-agent, send, send --tab, history, share create/revoke, an unknown agent, a stopped bridge", async () => {
    const created = await cli("create-agent", "sim", "--path", project, "--provider", "simulator", "--json");
    expect(created.code, created.stderr).toBe(0);
    const agentId = json(created.stdout).agentId;

    const sent = await cli("send", "sim", "Say hello", "--json");
    expect(sent.code, sent.stderr).toBe(0);
    const first = json(sent.stdout);
    expect(first).toMatchObject({ agentId, agentName: "sim", success: true });
    expect(first.response.length).toBeGreaterThan(0);
    expect(first.usage.inputTokens).toBeGreaterThan(0);
    expect(first.usage.outputTokens).toBeGreaterThan(0);

    const again = json((await cli("send", "sim", "Once more", "--tab", first.sessionId, "--json")).stdout);
    expect([again.sessionId, again.providerSessionId]).toEqual([first.sessionId, first.providerSessionId]);
    const shown = json((await cli("session", "show", first.sessionId, "--json")).stdout);
    expect(shown.filter((m: { role: string }) => m.role === "user").map((m: { content: string }) => m.content)).toEqual([
      "Say hello",
      "Once more",
    ]);

    const turns = json((await cli("history", "--agent", "sim", "--kind", "turn", "--since", "1h", "--json")).stdout);
    expect(turns.map((e: { turnId: string }) => e.turnId).sort()).toEqual([first.turnId, again.turnId].sort());

    const link = json((await cli("share", "create", "sim", "--json")).stdout);
    expect(link.url).toMatch(new RegExp(`^${bridge.url}/share#token=`));
    expect((await cli("share", "revoke", link.id)).code).toBe(0);
    expect((await cli("share", "revoke", link.id)).code).toBe(4);

    const ghost = await cli("send", "ghost", "hi");
    expect(ghost.code).toBe(4);

    await bridge.stop();
    const stopped = await cli("share", "list");
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toMatch(/^maestro: Maestro is not running for .* Start it with/);
  }, 120_000);
});
