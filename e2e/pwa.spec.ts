import { chromium } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freshPairingUrl } from "./bridge-process";
import { bridgeUrl, expect, test } from "./fixtures";

test("the app is installable: manifest, icons and a service worker that controls the page and answers offline", async ({}, testInfo) => {
  test.skip(testInfo.project.name !== "desktop", "installability is per origin; checked once");
  // Chrome never offers installation in incognito, and ordinary Playwright contexts are
  // incognito: use a real profile.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-profile-"));
  const context = await chromium.launchPersistentContext(profile, { ...testInfo.project.use.launchOptions, baseURL: bridgeUrl() });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(freshPairingUrl(process.env.MAESTRO_E2E_HOME!, bridgeUrl()));
  await page.getByLabel("Device name").fill("installer");
  await page.getByRole("button", { name: "Pair", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
  const manifest = await (await page.request.get("/manifest.webmanifest")).json();
  expect(manifest).toMatchObject({
    name: expect.stringContaining("Maestro"),
    short_name: "Maestro",
    display: "standalone",
    start_url: "/",
  });
  const purposes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes}/${i.purpose}`);
  expect(purposes).toEqual(expect.arrayContaining(["192x192/any", "512x512/any", "512x512/maskable"]));
  for (const icon of manifest.icons) expect((await page.request.get(icon.src)).headers()["content-type"]).toBe("image/png");

  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  expect(installabilityErrors).toEqual([]);

  // Offline: a page seen before comes from the cache; one never visited gets the offline page.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
  await page.goto("/history?from=offline-test");
  await expect(page.getByRole("heading", { name: "You're offline" })).toBeVisible();
  await context.setOffline(false);
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
});

test("no request leaves the machine: fonts and scripts are all same-origin", async ({ pairedPage: page }) => {
  const foreign: string[] = [];
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (!["127.0.0.1", "localhost"].includes(u.hostname) && u.protocol.startsWith("http")) foreign.push(r.url());
  });
  await page.goto("/");
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Devices" })).toBeVisible();
  expect(foreign).toEqual([]);
});
