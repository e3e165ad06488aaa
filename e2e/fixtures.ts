import { test as base, expect, type Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freshPairingUrl } from "./bridge-process";

export const bridgeUrl = () => process.env.MAESTRO_E2E_URL!;
const dataDir = () => process.env.MAESTRO_E2E_HOME!;

/** Pairs this browser context through the real pairing screen. */
export async function pair(page: Page, deviceName: string) {
  await page.goto(freshPairingUrl(dataDir(), bridgeUrl()));
  await expect(page.getByRole("heading", { name: "Pair this device" })).toBeVisible();
  const name = page.getByLabel("Device name");
  await name.fill(deviceName);
  await page.getByRole("button", { name: "Pair", exact: true }).click();
  await expect(page).toHaveURL(`${bridgeUrl()}/`);
}

export const test = base.extend<{ projectDir: string; pairedPage: Page }>({
  baseURL: async ({}, use) => use(bridgeUrl()),
  projectDir: async ({}, use) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-e2e-project-"));
    await use(dir);
    // The bridge may still be writing a mission's .maestro/ copy there (a moment after its last change).
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  },
  pairedPage: async ({ page }, use, testInfo) => {
    await pair(page, `${testInfo.project.name} ${testInfo.title}`.slice(0, 60));
    await use(page);
  },
});

export { expect };
