/**
 * bench/reconnect.ts — a phone that was offline catches up (issue 16, item 7). The real bridge
 * (`server/main.ts` as a child process, production build, simulator provider); 3 agents stream
 * 200 events/s each; a client in another process follows their 3 tabs, goes offline for
 * RECONNECT_OFFLINE_S (default 30 s) while they stream, then reconnects each tab with its last
 * event id. Timed from the reconnect to the caught-up marker of the last of the 3 streams (the
 * empty batch `turns.onEvent` sends once the backlog is out): by then every missed event arrived.
 * Lost: stored events after the last id that the client did not receive by its marker.
 * Budget: ≤ 500 ms, 0 lost.
 * Last line: `reconnect: <ms> ms, missed <n>, lost <n>`
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { buildIfNeeded, startBridge, storedIdsByTab } from "./soak-bridge";

const OFFLINE_S = Number(process.env.RECONNECT_OFFLINE_S ?? 30);
const AGENTS = 3;
const RATE = 200;

buildIfNeeded();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-reconnect-"));
const project = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-reconnect-project-"));
// One long turn per agent, longer than the whole bench.
const bridge = await startBridge(dataDir, { MAESTRO_SIM_EVENTS: String(RATE * (OFFLINE_S + 30)), MAESTRO_SIM_RATE: String(RATE) });
const tabs: string[] = [];
for (let i = 0; i < AGENTS; i++) {
  const agent = await bridge.mutate<{ id: string }>("agents.create", { name: `reconnect ${i}`, folder: project, provider: "simulator" });
  tabs.push((await bridge.query<{ id: string }[]>("tabs.list", { agentId: agent.id }))[0]!.id);
}
const config = { followers: tabs.map((tabId) => ({ tabId, kind: "offline" })), terminals: [] };
const client = spawn(
  process.execPath,
  [path.join(import.meta.dirname, "soak-clients.mjs"), bridge.base, bridge.cookie, JSON.stringify(config)],
  {
    stdio: ["pipe", "pipe", "inherit"],
  },
);
const lines = readline.createInterface({ input: client.stdout });
const nextLine = () => new Promise<string>((resolve) => lines.once("line", resolve));
const say = async (word: string) => {
  const line = nextLine();
  client.stdin.write(`${word}\n`);
  return line;
};
if ((await nextLine()) !== "ready") throw new Error("client did not connect");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const tabId of tabs) await bridge.mutate("turns.send", { tabId, prompt: "stream" });
await sleep(3000); // streaming, followed live
await say("offline");
await sleep(OFFLINE_S * 1000);
await say("online");
// Every stream has its marker by now or soon: wait for it, with the agents still streaming.
await sleep(2000);
for (const tabId of tabs) await bridge.mutate("turns.stop", { tabId }).catch(() => {});
await sleep(1000);
type Result = {
  followers: { tabId: string; ids: number[]; online: { startedAt: number; caughtUpAt: number | null; missed: number; from: number } }[];
};
const result = JSON.parse(await say("done")) as Result;
await bridge.stop();

const stored = storedIdsByTab(dataDir);
let missed = 0;
let lost = 0;
let ms = 0;
for (const f of result.followers) {
  const { online } = f;
  if (online.caughtUpAt === null) throw new Error(`tab ${f.tabId}: no caught-up marker after the reconnect`);
  ms = Math.max(ms, online.caughtUpAt - online.startedAt);
  missed += online.missed;
  // Everything stored after the id it resumed from must have arrived (by the marker, or live after it).
  const got = new Set(f.ids);
  lost += (stored.get(f.tabId) ?? []).filter((id) => id > online.from && !got.has(id)).length;
  console.log(
    `tab ${f.tabId}: resumed after ${online.from}, ${online.missed} missed events, caught up in ${online.caughtUpAt - online.startedAt} ms`,
  );
}
for (const d of [dataDir, project]) fs.rmSync(d, { recursive: true, force: true });
console.log(`reconnect: ${ms} ms, missed ${missed}, lost ${lost}`);
