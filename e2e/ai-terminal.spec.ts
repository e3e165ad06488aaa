import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

type Tab = { id: string; providerSessionId: string | null };
type StoredEvent = { id: number; type: string; data: Record<string, unknown> };

test.describe("AI terminal", () => {
  test("owner prompts a simulator agent from the phone: streams, tool call, Stop, resume, offline and back", async ({
    pairedPage: page,
    projectDir,
    context,
  }, testInfo) => {
    test.skip(testInfo.project.name !== "phone", "the journey is the phone's; desktop renders the same components");
    fs.writeFileSync(path.join(projectDir, "TODO.md"), "# Plan\n\n- [ ] Write the README\n- [ ] Add tests\n");
    const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name: `Phone ${Date.now()}`, folder: projectDir });
    const [tab] = await trpcQuery<Tab[]>(page.request, "tabs.list", { agentId: agent.id });

    await page.goto(`/agents/${agent.id}`);
    const message = page.getByRole("textbox", { name: "Message" });
    await message.fill("Do the first unchecked task in TODO.md");
    await page.getByRole("button", { name: "Send" }).click();

    // Streamed text and the tool call render; the box really got ticked on disk.
    await expect(page.getByRole("article", { name: "Assistant reply" }).last()).toContainText("Ticked task 'Write the README'");
    await expect(page.getByRole("button", { name: /^Edit / }).first()).toBeVisible();
    expect(fs.readFileSync(path.join(projectDir, "TODO.md"), "utf8")).toContain("- [x] Write the README");
    const firstSession = (await trpcQuery<Tab[]>(page.request, "tabs.list", { agentId: agent.id }))[0]!.providerSessionId;
    expect(firstSession).toMatch(/^[0-9a-f-]{36}$/);

    // A slow turn, stopped from the phone.
    await trpcMutation(page.request, "agents.updateSettings", {
      id: agent.id,
      settings: { env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "400" } },
    });
    await message.fill("Explain this project slowly");
    await page.getByRole("button", { name: "Send" }).click();
    const stop = page.getByRole("button", { name: "Stop" });
    await expect(stop).toBeVisible();
    await stop.click();
    await expect(stop).toBeHidden({ timeout: 15_000 });
    const turns = await trpcQuery<{ status: string }[]>(page.request, "turns.list", { tabId: tab!.id });
    expect(turns.at(-1)!.status).toBe("stopped");

    // The next prompt resumes the same provider session.
    await trpcMutation(page.request, "agents.updateSettings", { id: agent.id, settings: {} });
    await message.fill("And now?");
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByRole("article", { name: "Assistant reply" }).last()).toContainText(/turn \d+ of this session/);
    expect((await trpcQuery<Tab[]>(page.request, "tabs.list", { agentId: agent.id }))[0]!.providerSessionId).toBe(firstSession);

    // Offline for 5 s in the middle of a streaming turn: when the phone is back, every event is shown exactly once.
    await trpcMutation(page.request, "agents.updateSettings", {
      id: agent.id,
      settings: { env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "150", MAESTRO_SIM_EVENTS: "40" } },
    });
    await message.fill("Stream a long answer");
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
    // The turn must really be streaming before the phone goes away (on a loaded machine the send
    // itself can take over a second; going offline before it lands tests the queue, not the stream).
    await expect(page.getByText(/maestro-sim padding \d+\/40/).first()).toBeVisible();
    await context.setOffline(true);
    await page.waitForTimeout(5000);
    await context.setOffline(false);
    await expect(page.getByRole("button", { name: "Stop" })).toBeHidden({ timeout: 30_000 });

    const events = await trpcQuery<StoredEvent[]>(page.request, "turns.events", { tabId: tab!.id, afterId: 0, limit: 5000 });
    const lastPrompt = events.map((e) => e.type).lastIndexOf("prompt");
    const lastTurnText = events
      .slice(lastPrompt)
      .filter((e) => e.type === "text")
      .reduce((acc, e) => (e.data.delta ? acc + String(e.data.text) : acc ? `${acc}${String(e.data.text)}` : String(e.data.text)), "");
    expect(lastTurnText.length).toBeGreaterThan(200);
    // The simulator numbers its padding chunks ("[maestro-sim padding 7/40]"): each one stored
    // must be on screen exactly once — nothing lost while offline, nothing replayed twice.
    const chunks = [...lastTurnText.matchAll(/maestro-sim padding \d+\/40\]/g)].map((m) => m[0]);
    expect(chunks).toHaveLength(40);
    const shown = (await page.getByRole("article", { name: "Assistant reply" }).allInnerTexts()).join("\n");
    for (const c of chunks) expect(shown.split(c).length - 1, `${c} shown once`).toBe(1);
  });
});

test("composer: @ completes files of the agent's folder, / completes commands, /new opens a tab", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  fs.writeFileSync(path.join(projectDir, "TODO.md"), "- [ ] a\n");
  fs.mkdirSync(path.join(projectDir, "src"));
  fs.writeFileSync(path.join(projectDir, "src", "server.ts"), "");
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", {
    name: `Composer ${testInfo.project.name} ${Date.now()}`,
    folder: projectDir,
  });
  await page.goto(`/agents/${agent.id}`);
  const message = page.getByRole("textbox", { name: "Message" });

  await message.fill("Look at @serv");
  const suggestions = page.getByRole("listbox", { name: "Suggestions" });
  await expect(suggestions.getByRole("option", { name: /src\/server\.ts/ })).toBeVisible();
  await message.press("Enter");
  await expect(message).toHaveValue("Look at @src/server.ts ");

  await message.fill("/");
  await expect(suggestions.getByRole("option", { name: /^\/new/ })).toBeVisible();
  await message.fill("/ne");
  await message.press("Enter");
  await expect(message).toHaveValue("/new ");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("tab")).toHaveCount(2);
});
