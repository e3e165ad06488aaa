import fs from "node:fs";
import path from "node:path";
import { freshPairingUrl } from "./bridge-process";
import { bridgeUrl, expect, pair, test } from "./fixtures";

test("a stranger sees only the pairing screen", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/pair$/);
  await expect(page.getByRole("heading", { name: "Pair this device" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Agents" })).toHaveCount(0);
  const api = await page.request.get(`${bridgeUrl()}/api/trpc/agents.list`);
  expect(api.status()).toBe(401);
});

test("a pairing link works once; a second use is refused with a clear message", async ({ page, browser }) => {
  const link = freshPairingUrl(process.env.MAESTRO_E2E_HOME!, bridgeUrl());
  await page.goto(link);
  await page.getByLabel("Device name").fill("first");
  await page.getByRole("button", { name: "Pair", exact: true }).click();
  await expect(page).toHaveURL(`${bridgeUrl()}/`);

  const other = await browser.newContext();
  const thief = await other.newPage();
  await thief.goto(link);
  await thief.getByRole("button", { name: "Pair", exact: true }).click();
  // Next adds its own (empty) route-announcer alert; ours is the one with the message.
  await expect(thief.getByRole("alert").filter({ hasText: /invalid, used or expired/ })).toBeVisible();
  await expect(thief).toHaveURL(/\/pair/);
  await other.close();
});

test("owner pairs, adds a simulator agent on a folder, sees it, then revokes the device", async ({ page, projectDir }, testInfo) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Pair this device" })).toBeVisible();
  await pair(page, `e2e ${testInfo.project.name}`);

  await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
  await page.getByRole("button", { name: "Add an agent" }).first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();

  // A bad folder is explained where the user looks.
  const agentName = `Sim ${testInfo.project.name} ${Date.now()}`;
  await dialog.getByLabel("Name").fill(agentName);
  await dialog.getByLabel("Project folder").fill(path.join(projectDir, "missing"));
  await dialog.getByRole("button", { name: "Create agent" }).click();
  await expect(dialog.getByRole("alert").filter({ hasText: "No folder at" })).toBeVisible();

  fs.writeFileSync(path.join(projectDir, "README.md"), "# demo\n");
  await dialog.getByLabel("Project folder").fill(projectDir);
  await expect(dialog.getByLabel("Provider")).toHaveValue("simulator");
  await dialog.getByRole("button", { name: "Create agent" }).click();
  await expect(dialog).toBeHidden();

  const card = page.getByRole("link", { name: agentName, exact: true });
  await expect(card).toBeVisible();
  await expect(card).toContainText("Idle");
  await page.screenshot({ path: testInfo.outputPath("dashboard.png") });

  // Revoke this very device from Settings: the app sends us back to pairing.
  await page.getByRole("link", { name: "Settings" }).first().click();
  await expect(page.getByRole("heading", { name: "Devices" })).toBeVisible();
  await page.getByRole("button", { name: `Revoke e2e ${testInfo.project.name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(page).toHaveURL(/\/pair$/);
  await expect(page.getByRole("heading", { name: "Pair this device" })).toBeVisible();
  expect((await page.request.get(`${bridgeUrl()}/api/trpc/agents.list`)).status()).toBe(401);
});
