import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

test("sessions: a past conversation is found, starred and resumed into a tab; agent settings save", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  fs.writeFileSync(path.join(projectDir, "README.md"), "# x\n");
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", {
    name: `Sessions ${testInfo.project.name} ${Date.now()}`,
    folder: projectDir,
  });
  const [tab] = await trpcQuery<{ id: string }[]>(page.request, "tabs.list", { agentId: agent.id });
  await trpcMutation(page.request, "turns.send", { tabId: tab!.id, prompt: "Remember the blue whale" });
  await page.goto(`/agents/${agent.id}`);
  await expect(page.getByRole("article", { name: "Assistant reply" }).last()).toContainText("turn 1");
  // Close the tab: the conversation lives on in the provider's own store.
  await trpcMutation(page.request, "tabs.close", { id: tab!.id });
  await page.reload();

  await page.getByRole("button", { name: "Sessions" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Sessions" });
  await dialog
    .getByRole("searchbox", { name: "Search sessions" })
    .or(dialog.getByRole("textbox", { name: "Search sessions" }))
    .fill("whale");
  await expect(dialog.getByRole("button", { name: /Resume Remember the blue whale/ })).toBeVisible();
  await dialog.getByRole("button", { name: /Star session Remember the blue whale/ }).click();
  await dialog.getByRole("button", { name: /Resume Remember the blue whale/ }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole("textbox", { name: "Message" }).fill("What did I ask you to remember?");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("article", { name: "Assistant reply" }).last()).toContainText("turn 2 of this session");

  await page.getByRole("button", { name: "Agent actions" }).click();
  await page.getByRole("menuitem", { name: "Settings", exact: true }).click();
  const settings = page.getByRole("dialog", { name: "Agent settings" });
  await settings.getByLabel("Model").fill("sim-large");
  await settings.getByRole("button", { name: "Save" }).click();
  await expect(settings).toBeHidden();
  expect(await trpcQuery(page.request, "agents.settings", { id: agent.id })).toMatchObject({ model: "sim-large" });
  await page.screenshot({ path: testInfo.outputPath("after-resume.png") });
});

test("an image attached in the composer travels with the prompt", async ({ pairedPage: page, projectDir }, testInfo) => {
  test.skip(testInfo.project.name !== "phone", "one journey is enough");
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name: `Images ${Date.now()}`, folder: projectDir });
  const [tab] = await trpcQuery<{ id: string }[]>(page.request, "tabs.list", { agentId: agent.id });
  await page.goto(`/agents/${agent.id}`);
  const png = Buffer.from(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2216bc50000000049454e44ae426082",
    "hex",
  );
  const chooser = page.waitForEvent("filechooser");
  await page.getByRole("button", { name: "Attach image" }).click();
  await (await chooser).setFiles({ name: "screen.png", mimeType: "image/png", buffer: png });
  await expect(page.getByRole("button", { name: "Remove image 1" })).toBeVisible();
  // As a person would: send once the image's spinner is gone (a send while it uploads is refused
  // with "still uploading", which a busy machine makes likely).
  await expect(page.getByText("Uploading…")).toBeHidden({ timeout: 20_000 });
  await page.getByRole("textbox", { name: "Message" }).fill("What is on this screenshot?");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByRole("article", { name: "Assistant reply" }).last()).toBeVisible();
  await expect(page.getByRole("button", { name: "Remove image 1" })).toBeHidden();
  const events = await trpcQuery<{ type: string; data: Record<string, unknown> }[]>(page.request, "turns.events", { tabId: tab!.id });
  expect(events[0]).toMatchObject({ type: "prompt", data: { prompt: "What is on this screenshot?", images: 1 } });
});
