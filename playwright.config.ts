import { defineConfig, devices } from "@playwright/test";

/**
 * E2E runs against a real bridge (global setup starts `server/main.ts` on a free port with a
 * temp data dir and the simulator) in the system's Chromium, at a phone and a desktop size.
 */
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: "e2e",
  testMatch: "*.spec.ts",
  globalSetup: "./e2e/global-setup.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.PW_REPORTER_JSON ? [["list"], ["json", { outputFile: process.env.PW_REPORTER_JSON }]] : [["list"]],
  outputDir: ".tmp/test-results",
  use: {
    launchOptions: { executablePath: process.env.CHROME_PATH || "/usr/bin/chromium", args: chromiumArgs },
    trace: "off",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "phone",
      use: { ...devices["Pixel 7"], browserName: "chromium", viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 },
    },
    { name: "desktop", use: { browserName: "chromium", viewport: { width: 1440, height: 900 } } },
  ],
});
