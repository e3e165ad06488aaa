import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { freshPairingUrl, ROOT, startBridge } from "./bridge-process";
import { expect, test } from "./fixtures";

/**
 * Remote access from the phone: a real bridge whose PATH holds the fake cloudflared (it prints
 * what the real one prints and dies when killed), or no cloudflared at all.
 */
const FAKE_BIN = path.join(ROOT, "test/fixtures/bin");

type Bridge = Awaited<ReturnType<typeof startBridge>>;

async function pairAt(page: Page, home: string, base: string) {
  await page.goto(freshPairingUrl(home, base));
  await page.getByLabel("Device name").fill("phone");
  await page.getByRole("button", { name: "Pair", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
}

async function stopBridge(bridge: Bridge | undefined) {
  if (!bridge || bridge.child.exitCode !== null) return;
  const exited = new Promise((r) => bridge.child.once("exit", r));
  bridge.child.kill("SIGTERM");
  await exited;
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running cloudflared's pid, as the bridge's supervisor knows it. */
async function tunnelPid(page: Page, base: string): Promise<number> {
  const res = await page.request.get(`${base}/api/trpc/tunnel.status`);
  const pid = (await res.json()).result.data.json.status.pid;
  expect(typeof pid).toBe("number");
  return pid as number;
}

function startsOf(record: string): { pid: number; argv: string[]; token: string | null }[] {
  if (!fs.existsSync(record)) return [];
  return fs
    .readFileSync(record, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

test.describe("remote access through a Cloudflare tunnel", () => {
  let home: string;
  let record: string;
  let bridge: Bridge;

  test.beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-remote-"));
    record = path.join(home, "cloudflared-starts.jsonl");
    // MAESTRO_TUNNEL=1 is the --tunnel flag's environment twin (startBridge fixes the argv).
    bridge = await startBridge(home, {
      PATH: `${FAKE_BIN}${path.delimiter}${process.env.PATH}`,
      FAKE_CLOUDFLARED_RECORD: record,
      MAESTRO_TUNNEL: "1",
    });
  });
  test.afterAll(async () => {
    await stopBridge(bridge);
    fs.rmSync(home, { recursive: true, force: true });
  });

  test("--tunnel prints the public URL and a pairing link on it in the terminal", async () => {
    await expect
      .poll(() => bridge.output(), { timeout: 10_000 })
      .toMatch(/Public URL \(Cloudflare tunnel\): https:\/\/[a-z0-9-]+\.trycloudflare\.com/);
    const url = bridge.output().match(/Public URL \(Cloudflare tunnel\): (\S+)/)![1]!;
    expect(bridge.output()).toContain(`${url}/pair#token=`);
    expect(startsOf(record)[0]!.argv).toEqual(["tunnel", "--no-autoupdate", "--url", bridge.url]);
  });

  test("start the tunnel in Settings: URL and QR within 2 s; killed, it comes back with a new URL", async ({ page }) => {
    await pairAt(page, home, bridge.url);
    await page.goto(`${bridge.url}/settings`);
    const remote = page.getByRole("region", { name: "Remote access" });
    await expect(remote.getByText("Tunnel running")).toBeVisible();
    await remote.getByRole("button", { name: "Stop tunnel" }).click();
    await expect(remote.getByText("Tunnel off")).toBeVisible();
    const stoppedPid = startsOf(record).at(-1)!.pid;
    expect(alive(stoppedPid)).toBe(false);

    await remote.getByRole("button", { name: "Start tunnel" }).click();
    const link = remote.getByTestId("tunnel-url");
    await expect(link).toHaveText(/^https:\/\/[a-z0-9-]+\.trycloudflare\.com$/, { timeout: 2000 });
    const first = (await link.textContent())!;
    await expect(remote.getByRole("img", { name: `QR code for ${first}` })).toBeVisible({ timeout: 2000 });

    // cloudflared dies: the supervisor restarts it and the new address replaces the old one.
    const pid = await tunnelPid(page, bridge.url);
    expect(startsOf(record).at(-1)!.pid).toBe(pid);
    process.kill(pid, "SIGKILL");
    await expect(remote.getByText(/Restarting in \d+ s/)).toBeVisible();
    await expect(link).toHaveText(/^https:\/\/[a-z0-9-]+\.trycloudflare\.com$/, { timeout: 5000 });
    const second = (await link.textContent())!;
    expect(second).not.toBe(first);
    await expect(remote.getByRole("img", { name: `QR code for ${second}` })).toBeVisible();
    const newPid = await tunnelPid(page, bridge.url);
    expect(newPid).not.toBe(pid);
    expect(alive(newPid)).toBe(true);
    await expect.poll(() => bridge.output()).toContain(`Public URL (Cloudflare tunnel): ${second}`);

    // A pairing link on the public address, for the phone.
    await remote.getByRole("button", { name: "Pair a phone through the tunnel" }).click();
    await expect(remote.getByRole("img", { name: "QR code of the pairing link" })).toBeVisible();
    await expect(remote.getByText(new RegExp(`^${second.replace(/\./g, "\\.")}/pair#token=`))).toBeVisible();
  });

  test("a Stop reply that arrives late does not hide the tunnel started after it", async ({ page }) => {
    await pairAt(page, home, bridge.url);
    await page.goto(`${bridge.url}/settings`);
    const remote = page.getByRole("region", { name: "Remote access" });
    await expect(remote.getByText("Tunnel running")).toBeVisible();

    // A slow link: the Stop reply is held back while the pushed status says the tunnel is off.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route(/\/api\/trpc\/tunnel\.stop\b/, async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    await remote.getByRole("button", { name: "Stop tunnel" }).click();
    await expect(remote.getByText("Tunnel off")).toBeVisible();
    await remote.getByRole("button", { name: "Start tunnel" }).click();
    const link = remote.getByTestId("tunnel-url");
    await expect(link).toHaveText(/^https:\/\/[a-z0-9-]+\.trycloudflare\.com$/, { timeout: 2000 });
    const url = (await link.textContent())!;

    // The old "off" arrives now. From the moment its reply is in, and for a second after, the
    // screen must not flip to "off" (the race this guards against showed "Tunnel off" for good,
    // but a later refetch could hide that from a check that only waits for "running").
    const handled = page.waitForResponse(/\/api\/trpc\/tunnel\.stop\b/);
    release();
    await handled;
    for (let i = 0; i < 10; i++) {
      expect(await remote.getByText("Tunnel off").isVisible(), "the late Stop reply turned the screen to off").toBe(false);
      await page.waitForTimeout(100);
    }
    await expect(remote.getByRole("button", { name: "Stop tunnel" })).toBeEnabled();
    await expect(remote.getByText("Tunnel running")).toBeVisible();
    await expect(link).toHaveText(url);
    await page.unroute(/\/api\/trpc\/tunnel\.stop\b/);
  });

  test("a named tunnel: host name and token saved in Settings, cloudflared runs with the token out of argv", async ({ page }) => {
    await pairAt(page, home, bridge.url);
    await page.goto(`${bridge.url}/settings`);
    const remote = page.getByRole("region", { name: "Remote access" });
    // Left running by the test before (or by --tunnel): kinds are chosen while it is off.
    await expect(remote.getByText("Tunnel running")).toBeVisible();
    await remote.getByRole("button", { name: "Stop tunnel" }).click();
    await remote.getByRole("radio", { name: /Named tunnel/ }).check();
    await remote.getByLabel("Public host name", { exact: true }).fill("not a host");
    await remote.getByLabel("Tunnel token", { exact: true }).fill("eyJhIjoiZTJlLXNlY3JldCJ9");
    await remote.getByRole("button", { name: "Save named tunnel" }).click();
    await expect(remote.getByText("That is not a host name (like maestro.example.com).")).toBeVisible();
    await remote.getByLabel("Public host name", { exact: true }).fill("maestro.example.test");
    await remote.getByRole("button", { name: "Save named tunnel" }).click();
    await expect(remote.getByText("Saved")).toBeVisible();
    await remote.getByRole("button", { name: "Start tunnel" }).click();
    await expect(remote.getByTestId("tunnel-url")).toHaveText("https://maestro.example.test", { timeout: 2000 });
    await expect(remote.getByText("Named tunnel", { exact: true })).toBeVisible();
    const last = startsOf(record).at(-1)!;
    expect(last.argv).toEqual(["tunnel", "--no-autoupdate", "run"]);
    expect(last.token).toBe("set");
    await remote.getByRole("button", { name: "Stop tunnel" }).click();
    await expect(remote.getByText("Tunnel off")).toBeVisible();
  });
});

test.describe("remote access without cloudflared", () => {
  let home: string;
  let bridge: Bridge;

  test.beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-remote-missing-"));
    // PATH without any cloudflared (even on a machine that has one), listening on the LAN.
    const pathWithout = (process.env.PATH ?? "")
      .split(path.delimiter)
      .filter((d) => d && !fs.existsSync(path.join(d, "cloudflared")))
      .join(path.delimiter);
    bridge = await startBridge(home, { PATH: pathWithout, MAESTRO_HOST: "0.0.0.0" });
  });
  test.afterAll(async () => {
    await stopBridge(bridge);
    fs.rmSync(home, { recursive: true, force: true });
  });

  test("Settings says how to install it and offers the LAN URLs with QR codes", async ({ page }) => {
    await pairAt(page, home, bridge.url);
    await page.goto(`${bridge.url}/settings`);
    const remote = page.getByRole("region", { name: "Remote access" });
    await expect(remote.getByText("cloudflared is not installed")).toBeVisible();
    await expect(remote.getByRole("button", { name: "Start tunnel" })).toHaveCount(0);
    for (const command of [
      "brew install cloudflared",
      "winget install --id Cloudflare.cloudflared",
      "sudo dpkg -i cloudflared-linux-amd64.deb",
    ]) {
      await expect(remote.getByText(command, { exact: true })).toBeVisible();
    }
    const lanUrls = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a && a.family === "IPv4" && !a.internal)
      .map((a) => `http://${a!.address}:${new URL(bridge.url).port}`);
    expect(lanUrls.length).toBeGreaterThan(0);
    for (const u of lanUrls) await expect(remote.getByRole("img", { name: `QR code for ${u}` })).toBeVisible();
    // And the LAN address really serves Maestro.
    expect((await page.request.get(`${lanUrls[0]}/api/health`)).status()).toBe(200);
  });
});

test("the Content-Security-Policy blocks nothing the app itself needs", async ({ pairedPage: page, projectDir }) => {
  const violations: string[] = [];
  page.on("console", (m) => /Content Security Policy/i.test(m.text()) && violations.push(m.text()));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  const res = await page.goto("/");
  expect(res!.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
  const agent = await page.request.post("/api/trpc/agents.create", {
    headers: { origin: new URL(page.url()).origin, "content-type": "application/json" },
    data: { json: { name: `CSP ${Date.now()}`, folder: projectDir } },
  });
  const { id } = (await agent.json()).result.data.json;
  await page.goto(`/agents/${id}`);
  await page.getByRole("textbox", { name: "Message" }).fill("Explain this project");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByRole("article", { name: "Assistant reply" }).last()).toBeVisible();
  await page.goto("/settings");
  await expect(page.getByRole("region", { name: "Remote access" })).toBeVisible();
  expect(violations).toEqual([]);
});
