import { bridgeUrl, expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

type Tab = { id: string };

test.describe("share links", () => {
  test("owner shares an agent view-only: a teammate watches a live turn, cannot send, and is cut off when revoked", async ({
    pairedPage: owner,
    projectDir,
    browser,
  }, testInfo) => {
    const agent = await trpcMutation<{ id: string; name: string }>(owner.request, "agents.create", {
      name: `Shared ${testInfo.project.name} ${Date.now()}`,
      folder: projectDir,
    });
    const [tab] = await trpcQuery<Tab[]>(owner.request, "tabs.list", { agentId: agent.id });
    // A slow simulator turn, so the teammate sees it stream in while it runs.
    await trpcMutation(owner.request, "agents.updateSettings", {
      id: agent.id,
      settings: { env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "200", MAESTRO_SIM_EVENTS: "20" } },
    });

    // The owner makes a view-only link from the agent page.
    await owner.goto(`/agents/${agent.id}`);
    await owner.getByRole("button", { name: "Share", exact: true }).click();
    const sheet = owner.getByRole("dialog", { name: `Share ${agent.name}` });
    await expect(sheet.getByRole("radio", { name: /View only/ })).toBeChecked();
    await sheet.getByLabel("Expires after").selectOption({ label: "1 day" });
    // One bridge serves both projects: a label of this run's own, so the list row is unique.
    const label = `Sam (reviewer, ${testInfo.project.name})`;
    await sheet.getByLabel("Label").fill(label);
    await sheet.getByRole("button", { name: "Create link" }).click();
    const link = (await sheet.getByLabel("Share link").textContent())!.trim();
    expect(link).toMatch(/\/share#token=[A-Za-z0-9_-]{43}$/);
    await expect(sheet.getByRole("img", { name: "QR code of the share link" })).toBeVisible();
    await sheet.getByRole("button", { name: "Done" }).click();

    // A teammate in another browser opens it: no pairing, the agent's screen, a clear banner, no composer.
    const teammateContext = await browser.newContext({ baseURL: bridgeUrl(), viewport: owner.viewportSize()! });
    const teammate = await teammateContext.newPage();
    await teammate.goto(link);
    await expect(teammate).toHaveURL(new RegExp(`/shared/agents/${agent.id}$`));
    await expect(teammate.getByRole("note", { name: "Shared access" })).toHaveText(/Shared by the owner · view only · expires in 24 hours/);
    await expect(teammate.getByRole("heading", { name: agent.name })).toBeVisible();
    await expect(teammate.getByText("View only: you can watch this conversation but not send to it.")).toBeVisible();
    await expect(teammate.getByRole("textbox", { name: "Message" })).toHaveCount(0);
    await expect(teammate.getByRole("link", { name: "Settings" })).toHaveCount(0);
    // Owner pages are not theirs: they are sent back to their agent.
    await teammate.goto("/settings");
    await expect(teammate).toHaveURL(new RegExp(`/shared/agents/${agent.id}$`));

    // The owner sends a prompt; the teammate sees the turn stream in live.
    await owner.getByRole("textbox", { name: "Message" }).fill("Explain this project slowly");
    await owner.getByRole("button", { name: "Send" }).click();
    await expect(owner.getByRole("button", { name: "Stop" })).toBeVisible();
    await expect(teammate.getByText("Explain this project slowly")).toBeVisible();
    const teammateReply = teammate.getByRole("article", { name: "Assistant reply" }).last();
    await expect(teammateReply).toBeVisible();
    await expect(owner.getByRole("button", { name: "Stop" })).toBeVisible(); // still running: it streamed live
    await expect(owner.getByRole("button", { name: "Stop" })).toBeHidden({ timeout: 30_000 });
    const ownerText = (await owner.getByRole("article", { name: "Assistant reply" }).last().textContent())!;
    await expect(teammateReply).toHaveText(ownerText);

    // A direct call to send is refused: the link is view only.
    const send = await teammate.request.post("/api/trpc/turns.send", {
      headers: { origin: new URL(link).origin, "content-type": "application/json" },
      data: { json: { tabId: tab!.id, prompt: "let me in" } },
    });
    expect(send.status()).toBe(403);
    expect((await send.json()).error.json.message).toBe("This share link is view only.");

    // An open live stream on the teammate's side, to watch it being cut.
    await teammate.evaluate((tabId) => {
      const input = encodeURIComponent(JSON.stringify({ json: { tabId } }));
      (window as unknown as { streamEnded: Promise<string> }).streamEnded = fetch(`/api/trpc/turns.onEvent?input=${input}`, {
        headers: { accept: "text/event-stream" },
      }).then(async (res) => {
        if (res.status !== 200) return `status ${res.status}`;
        const reader = res.body!.getReader();
        try {
          while (!(await reader.read()).done);
        } catch {
          /* cut */
        }
        return "closed";
      });
    }, tab!.id);

    // The owner revokes it in Settings → Sharing; the list shows its use.
    await owner.goto("/settings");
    const row = owner.getByRole("listitem", { name: label });
    await expect(row).toContainText("View only");
    await expect(row).toContainText("opened 1 time");
    await row.getByRole("button", { name: `Revoke ${label}` }).click();
    await owner.getByRole("dialog").getByRole("button", { name: "Revoke" }).click();
    await expect(row).toContainText("Revoked");

    // The teammate's stream closes at once, their next request answers 401, the screen says why.
    const ended = await teammate.evaluate(() =>
      Promise.race([
        (window as unknown as { streamEnded: Promise<string> }).streamEnded,
        new Promise((r) => setTimeout(() => r("still open"), 5000)),
      ]),
    );
    expect(ended).toBe("closed");
    const after = await teammate.request.get(
      `/api/trpc/tabs.list?input=${encodeURIComponent(JSON.stringify({ json: { agentId: agent.id } }))}`,
    );
    expect(after.status()).toBe(401);
    await expect(teammate.getByRole("heading", { name: "This link was revoked" })).toBeVisible();

    await teammateContext.close();
  });

  test("a control link lets a teammate prompt and stop its agent from their phone, and nothing else", async ({
    pairedPage: owner,
    projectDir,
    browser,
  }, testInfo) => {
    test.skip(
      testInfo.project.name !== "phone",
      "the teammate's journey is the phone's; the sheet and the screens are the same at both sizes",
    );
    const agent = await trpcMutation<{ id: string; name: string }>(owner.request, "agents.create", {
      name: `Pair-prog ${Date.now()}`,
      folder: projectDir,
    });
    const other = await trpcMutation<{ id: string }>(owner.request, "agents.create", { name: `Private ${Date.now()}`, folder: projectDir });
    const [otherTab] = await trpcQuery<Tab[]>(owner.request, "tabs.list", { agentId: other.id });

    await owner.goto(`/agents/${agent.id}`);
    await owner.getByRole("button", { name: "Share", exact: true }).click();
    const sheet = owner.getByRole("dialog", { name: `Share ${agent.name}` });
    await sheet.getByRole("radio", { name: /View and control/ }).check();
    await sheet.getByLabel("Label").fill("Alex (pairing)");
    await sheet.getByRole("button", { name: "Create link" }).click();
    const link = (await sheet.getByLabel("Share link").textContent())!.trim();
    await sheet.getByRole("button", { name: "Done" }).click();

    const teammateContext = await browser.newContext({ baseURL: bridgeUrl(), viewport: owner.viewportSize()! });
    const teammate = await teammateContext.newPage();
    await teammate.goto(link);
    await expect(teammate).toHaveURL(new RegExp(`/shared/agents/${agent.id}$`));
    await expect(teammate.getByRole("note", { name: "Shared access" })).toHaveText(
      /Shared by the owner · you can prompt and stop · expires in/,
    );

    // They prompt; the owner sees the same turn.
    const message = teammate.getByRole("textbox", { name: "Message" });
    await message.fill("Say hello from the teammate");
    await teammate.getByRole("button", { name: "Send" }).click();
    await expect(teammate.getByRole("article", { name: "Assistant reply" }).last()).toBeVisible();
    await owner.reload();
    await expect(owner.getByText("Say hello from the teammate", { exact: true })).toBeVisible();

    // They stop a slow turn.
    await trpcMutation(owner.request, "agents.updateSettings", {
      id: agent.id,
      settings: { env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "400" } },
    });
    await expect(teammate.getByRole("button", { name: "Stop" })).toHaveCount(0);
    await message.fill("Take your time");
    await teammate.getByRole("button", { name: "Send" }).click();
    const stop = teammate.getByRole("button", { name: "Stop" });
    await expect(stop).toBeVisible();
    await stop.click();
    await expect(stop).toBeHidden({ timeout: 15_000 });
    const [tab] = await trpcQuery<Tab[]>(owner.request, "tabs.list", { agentId: agent.id });
    const turns = await trpcQuery<{ status: string; prompt: string }[]>(owner.request, "turns.list", { tabId: tab!.id });
    expect(turns.map((t) => [t.prompt, t.status])).toEqual([
      ["Say hello from the teammate", "done"],
      ["Take your time", "stopped"],
    ]);

    // Another agent, settings, new agents: not theirs.
    const origin = new URL(link).origin;
    const sendElsewhere = await teammate.request.post("/api/trpc/turns.send", {
      headers: { origin, "content-type": "application/json" },
      data: { json: { tabId: otherTab!.id, prompt: "let me in" } },
    });
    expect(sendElsewhere.status()).toBe(403);
    const create = await teammate.request.post("/api/trpc/agents.create", {
      headers: { origin, "content-type": "application/json" },
      data: { json: { name: "mine now", folder: projectDir } },
    });
    expect(create.status()).toBe(403);
    await teammate.goto(`/agents/${other.id}`);
    await expect(teammate).toHaveURL(new RegExp(`/shared/agents/${agent.id}$`));
    await teammateContext.close();
  });

  test("a garbled link is refused with a plain message", async ({ browser }) => {
    const context = await browser.newContext({ baseURL: bridgeUrl() });
    const page = await context.newPage();
    await page.goto("/share#token=not-a-real-token");
    await expect(page.getByRole("alert").filter({ hasText: "This share link" })).toHaveText(
      /This share link is not valid: it looks cut off or garbled\./,
    );
    await context.close();
  });
});
