import { bridgeUrl, expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

/**
 * The owner's side of approvals outside the conversation: the agent's permission mode (an old
 * "plan mode" agent shows Plan), the approval timeout, each CLI's plain note, and a control share
 * link that may approve tool use.
 */
test("the agent's Permissions: an old plan-mode agent shows Plan; Ask me and a timeout are saved", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", {
    name: `Perms ${testInfo.project.name} ${Date.now()}`,
    folder: projectDir,
    provider: "claude",
  });
  await trpcMutation(page.request, "agents.updateSettings", { id: agent.id, settings: { readOnly: true } });
  await page.goto(`/agents/${agent.id}`);
  await page.getByRole("button", { name: "Agent actions" }).click();
  await page.getByRole("menuitem", { name: "Settings", exact: true }).click();
  const settings = page.getByRole("dialog", { name: "Agent settings" });
  const mode = settings.getByRole("combobox", { name: "Mode" });
  await expect(mode).toHaveValue("plan");
  await mode.selectOption({ label: "Ask me" });
  await expect(settings.getByText(/Claude Code asks before each tool call/)).toBeVisible();
  await settings.getByRole("textbox", { name: /Deny unanswered requests after/ }).fill("10");
  await settings.getByRole("region", { name: "Permissions" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("agent-permissions.png") });

  // Rules are saved at once, on their own: a bad one is refused on the field, a good one listed.
  const ruleBox = settings.getByRole("textbox", { name: "Add a rule" });
  await ruleBox.fill("rm -rf /");
  await settings.getByRole("button", { name: "Add", exact: true }).click();
  await expect(settings.getByText("A rule is a tool name, optionally with what it may do in brackets: Bash(npm test:*).")).toBeVisible();
  await ruleBox.fill("Bash(npm test:*)");
  await ruleBox.press("Enter");
  const rule = settings.getByRole("listitem", { name: "Bash(npm test:*)" });
  await expect(rule).toContainText(testInfo.project.name);
  await rule.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("agent-rules.png") });
  await ruleBox.fill("Write");
  await ruleBox.press("Enter");
  await expect(settings.getByRole("listitem", { name: "Write" })).toBeVisible();
  await settings.getByRole("button", { name: "Remove Write" }).click();
  await expect(settings.getByRole("listitem", { name: "Write" })).toHaveCount(0);
  expect((await trpcQuery<{ rule: string }[]>(page.request, "approvals.rules", { agentId: agent.id })).map((r) => r.rule)).toEqual([
    "Bash(npm test:*)",
  ]);
  await settings.getByRole("button", { name: "Save" }).click();
  await expect(settings).toBeHidden();
  expect(await trpcQuery(page.request, "agents.settings", { id: agent.id })).toEqual({ permissionMode: "ask", approvalTimeoutMin: 10 });

  // One tab may differ from its agent: the tab menu's Permissions… saves the tab's own mode.
  await page.getByRole("button", { name: "Tab actions" }).click();
  await page.getByRole("menuitem", { name: "Permissions…" }).click();
  const sheet = page.getByRole("dialog", { name: "Permissions for this tab" });
  await expect(sheet.getByRole("radio", { name: /The agent's mode \(Ask me\)/ })).toBeChecked();
  // Saved at once, and the sheet closes (so no .check(): the radio is gone when it would look).
  await sheet.getByRole("radio", { name: /Plan \(read-only\)/ }).click();
  await expect(sheet).toBeHidden();
  const [tab] = await trpcQuery<{ permissionMode: string | null }[]>(page.request, "tabs.list", { agentId: agent.id });
  expect(tab!.permissionMode).toBe("plan");
  await page.getByRole("button", { name: "Tab actions" }).click();
  await expect(page.getByRole("menuitem", { name: "Permissions: Plan (read-only)" })).toBeVisible();
});

test("a codex agent's settings say it cannot be approved call by call", async ({ pairedPage: page, projectDir }, testInfo) => {
  test.skip(testInfo.project.name !== "phone", "one look is enough");
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", {
    name: `Codex perms ${Date.now()}`,
    folder: projectDir,
    provider: "codex",
  });
  await page.goto(`/agents/${agent.id}`);
  await page.getByRole("button", { name: "Agent actions" }).click();
  await page.getByRole("menuitem", { name: "Settings", exact: true }).click();
  const settings = page.getByRole("dialog", { name: "Agent settings" });
  await expect(settings.getByText(/codex exec cannot ask before each tool call/)).toBeVisible();
  await expect(settings.getByRole("textbox", { name: /Deny unanswered requests after/ })).toHaveCount(0);
});

test("a control link may be allowed to approve tool use, and the list says so", async ({
  pairedPage: page,
  projectDir,
  browser,
}, testInfo) => {
  const agent = await trpcMutation<{ id: string; name: string }>(page.request, "agents.create", {
    name: `Approver ${testInfo.project.name} ${Date.now()}`,
    folder: projectDir,
  });
  await page.goto(`/agents/${agent.id}`);
  await page.getByRole("button", { name: "Share", exact: true }).click();
  const sheet = page.getByRole("dialog", { name: `Share ${agent.name}` });
  const approve = sheet.getByRole("checkbox", { name: "May approve tool use" });
  // Only a control link may approve.
  await expect(approve).toHaveCount(0);
  await sheet.getByRole("radio", { name: /View and control/ }).check();
  await expect(approve).not.toBeChecked();
  await approve.check();
  const label = `Ana (${testInfo.project.name} ${Date.now()})`;
  await sheet.getByLabel("Label").fill(label);
  await page.screenshot({ path: testInfo.outputPath("share-may-approve.png") });
  await sheet.getByRole("button", { name: "Create link" }).click();
  const link = (await sheet.getByLabel("Share link").textContent())!.trim();
  await sheet.getByRole("button", { name: "Done" }).click();

  // The teammate's banner says what the link lets them do.
  const teammateContext = await browser.newContext({ baseURL: bridgeUrl(), viewport: page.viewportSize()! });
  const teammate = await teammateContext.newPage();
  await teammate.goto(link);
  await expect(teammate.getByRole("note", { name: "Shared access" })).toHaveText(
    /Shared by the owner · you can prompt, stop and approve tool use · expires in/,
  );
  await teammateContext.close();

  await page.goto("/settings");
  const row = page.getByRole("listitem", { name: label });
  await expect(row).toContainText("View and control");
  await expect(row).toContainText("May approve tool use");
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("sharing-list.png") });
});
