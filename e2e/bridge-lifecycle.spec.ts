import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freshPairingUrl, startBridge } from "./bridge-process";
import { expect, test } from "./fixtures";

test.describe("bridge lifecycle", () => {
  test("SIGKILL then restart keeps the paired device and its agents; SIGTERM exits cleanly", async ({ browser }, testInfo) => {
    test.skip(testInfo.project.name !== "desktop", "one bridge process test is enough");
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-life-"));
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-life-project-"));
    try {
      let bridge = await startBridge(home);
      expect(bridge.output()).toMatch(/Pair a device: open this link/);
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(freshPairingUrl(home, bridge.url));
      await page.getByLabel("Device name").fill("survivor");
      await page.getByRole("button", { name: "Pair", exact: true }).click();
      await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();

      const created = await page.request.post(`${bridge.url}/api/trpc/agents.create`, {
        headers: { origin: bridge.url, "content-type": "application/json" },
        data: { json: { name: "Durable", folder: project } },
      });
      expect(created.status()).toBe(200);

      // A hard kill: nothing gets to clean up.
      bridge.child.kill("SIGKILL");
      await new Promise((r) => bridge.child.once("exit", r));

      bridge = await startBridge(home, {});
      // Already paired: the banner does not hand out a new link.
      expect(bridge.output()).toMatch(/Pair another device: npm run pair/);
      const page2 = await context.newPage();
      // Cookies are per host, not per port: the same session cookie goes to the new bridge.
      await page2.goto(bridge.url);
      await expect(page2.getByRole("link", { name: /Durable/ })).toBeVisible();

      const exited = new Promise<number | null>((r) => bridge.child.once("exit", (code) => r(code)));
      bridge.child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(fs.existsSync(path.join(home, "bridge.json"))).toBe(false);
      await context.close();
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
