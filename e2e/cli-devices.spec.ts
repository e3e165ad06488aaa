import { spawnSync } from "node:child_process";
import path from "node:path";
import { bridgeUrl, expect, test } from "./fixtures";
import { ROOT } from "./bridge-process";

/** `maestro pair --cli` against the e2e bridge: the token shows in Settings → Devices as a CLI and is revoked there. */
function maestro(args: string[]) {
  const { MAESTRO_URL: _u, MAESTRO_TOKEN: _t, ...env } = process.env;
  return spawnSync(process.execPath, [path.join(ROOT, "bin", "maestro.mjs"), ...args], { cwd: ROOT, env, encoding: "utf8" });
}

test("a remote CLI token made with `maestro pair --cli` is listed as a CLI in Settings → Devices and revoked there", async ({
  pairedPage: page,
}, testInfo) => {
  const name = `ci ${testInfo.project.name}`;
  const minted = maestro(["--data-dir", process.env.MAESTRO_E2E_HOME!, "pair", "--cli", "--name", name, "--json"]);
  expect(minted.status, minted.stderr).toBe(0);
  const { token } = JSON.parse(minted.stdout) as { token: string };
  const status = () => maestro(["--url", bridgeUrl(), "--token", token, "status", "--json"]).status;
  expect(status()).toBe(0);

  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Devices" })).toBeVisible();
  const row = page.getByRole("listitem").filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row.getByText("CLI", { exact: true })).toBeVisible();
  await expect(row.getByText(/^Created /)).toBeVisible();
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath("devices.png") });

  await page.getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(row).toHaveCount(0);
  expect(status()).toBe(5);
});
