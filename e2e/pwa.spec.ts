import { expect, test } from "./fixtures";

test("the app is installable: manifest, icons and a service worker that controls the page", async ({ pairedPage: page }, testInfo) => {
  test.skip(testInfo.project.name !== "desktop", "installability is per origin; checked once");
  const manifest = await (await page.request.get("/manifest.webmanifest")).json();
  expect(manifest).toMatchObject({ name: expect.stringContaining("Maestro"), short_name: "Maestro", display: "standalone", start_url: "/" });
  const purposes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes}/${i.purpose}`);
  expect(purposes).toEqual(expect.arrayContaining(["192x192/any", "512x512/any", "512x512/maskable"]));
  for (const icon of manifest.icons) expect((await page.request.get(icon.src)).headers()["content-type"]).toBe("image/png");

  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);

  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  expect(installabilityErrors).toEqual([]);
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
