import type { Page } from "@playwright/test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freshPairingUrl, startBridge } from "./bridge-process";
import { expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

/** The terminal's visible rows as text lines (xterm's DOM renderer draws one div per row). */
function screen(page: Page): Promise<string[]> {
  return page.locator(".xterm-rows > div").evaluateAll((rows) => rows.map((r) => (r.textContent ?? "").replace(/\u00a0/g, " ").trimEnd()));
}

/** Waits until some visible row matches. */
async function expectRow(page: Page, pattern: RegExp, timeout = 20_000) {
  await expect
    .poll(async () => (await screen(page)).some((l) => pattern.test(l)), { timeout, message: `a terminal row matching ${pattern}` })
    .toBe(true);
}

/** Waits until the last non-empty row is the shell's prompt (a full-screen program has quit). */
async function expectPromptLast(page: Page, timeout = 20_000) {
  await expect
    .poll(async () => /[$#]\s*$/.test((await screen(page)).filter((l) => l.trim()).at(-1) ?? ""), {
      timeout,
      message: "the shell's prompt on the last row",
    })
    .toBe(true);
}

async function sttySize(page: Page, tag: string): Promise<{ rows: number; cols: number }> {
  await page.keyboard.type(`echo ${tag}-$(stty size | tr ' ' x)\n`);
  const re = new RegExp(`^${tag}-(\\d+)x(\\d+)$`);
  let found: RegExpMatchArray | null = null;
  await expect
    .poll(async () => (found = (await screen(page)).map((l) => l.match(re)).find(Boolean) ?? null) !== null, { timeout: 10_000 })
    .toBe(true);
  return { rows: Number(found![1]), cols: Number(found![2]) };
}

/**
 * A test's shell is bash without the machine's rc files: they belong to whoever runs the tests,
 * and one can hang every later shell (pyenv's `rehash` in ~/.bashrc leaves a lock behind when a
 * shell is killed mid-init, and each interactive bash then waits on it). Which shell a bridge
 * picks on its own is shell.test.ts's.
 */
function plainBash(): string {
  // In the run's data dir, which goes with the run.
  const file = path.join(process.env.MAESTRO_E2E_HOME!, "bash-norc");
  fs.writeFileSync(file, "#!/bin/sh\nexec bash --norc --noprofile -i\n", { mode: 0o755 });
  return file;
}

async function terminalAgent(page: Page, name: string, folder: string): Promise<{ id: string }> {
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name, folder });
  await trpcMutation(page.request, "agents.updateSettings", { id: agent.id, settings: { terminalShell: plainBash() } });
  return agent;
}

test.describe("command terminal", () => {
  test("owner runs commands in a real shell from the phone: key bar, resize, reload, full-screen programs, exit code", async ({
    pairedPage: page,
    projectDir,
  }, testInfo) => {
    test.skip(testInfo.project.name !== "phone", "the phone journey; the desktop test below covers the shortcut");
    test.setTimeout(120_000);
    const agent = await terminalAgent(page, `Term ${Date.now()}`, projectDir);

    await page.goto(`/agents/${agent.id}`);
    await page.getByRole("button", { name: "Terminal", exact: true }).click();
    // One tap opens a shell: a tab, the key bar, and a prompt.
    await expect(page.getByRole("tab", { name: "Terminal 1" })).toBeVisible();
    const bar = page.getByRole("toolbar", { name: "Terminal keys" });
    await expect(bar).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Connected" })).toBeVisible();
    await expectRow(page, /[$#]\s*$/);

    // Keyboard: echo hi.
    await page.locator(".xterm").click();
    await page.keyboard.type("echo hi\n");
    await expectRow(page, /^hi$/);
    // Key bar: ↑ recalls the command, Enter runs it again.
    await bar.getByRole("button", { name: "Up arrow" }).click();
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await screen(page)).filter((l) => l === "hi").length).toBe(2);
    // Key bar keys that phones lack: | and ~ and /.
    await page.keyboard.type("echo ");
    await bar.getByRole("button", { name: "Tilde" }).click();
    await bar.getByRole("button", { name: "Slash" }).click();
    await page.keyboard.type(" ");
    await bar.getByRole("button", { name: "Pipe" }).click();
    await page.keyboard.type(" wc -c\n");
    await expectRow(page, /^\s*\d+$/);
    // Ctrl toggle: Ctrl then c interrupts a running program.
    await page.keyboard.type("sleep 300\n");
    const ctrl = bar.getByRole("button", { name: "Control" });
    await ctrl.click();
    await expect(ctrl).toHaveAttribute("aria-pressed", "true");
    await page.keyboard.type("c");
    await expect(ctrl).toHaveAttribute("aria-pressed", "false");
    await expectRow(page, /\^C/);
    await page.keyboard.type("echo after-$((20+1))\n");
    await expectRow(page, /^after-21$/);

    // Resize: bigger text means fewer columns, and the pty learns it.
    const before = await sttySize(page, "size1");
    await page.getByRole("button", { name: "Larger text" }).click();
    await page.getByRole("button", { name: "Larger text" }).click();
    const after = await sttySize(page, "size2");
    expect(after.cols).toBeLessThan(before.cols);
    await page.setViewportSize({ width: 844, height: 390 }); // turned sideways
    const sideways = await sttySize(page, "size3");
    expect(sideways.cols).toBeGreaterThan(after.cols);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: "Smaller text" }).click();
    await page.getByRole("button", { name: "Smaller text" }).click();

    // Reload: the same terminal, the same scrollback.
    await page.keyboard.type("echo before-reload-$((3*3))\n");
    await expectRow(page, /^before-reload-9$/);
    await page.reload();
    await expect(page.getByRole("tab", { name: "Terminal 1" })).toHaveAttribute("aria-selected", "true");
    await expectRow(page, /^before-reload-9$/);
    await expectRow(page, /^after-21$/);
    const list = await trpcQuery<{ id: string }[]>(page.request, "terminals.list", { agentId: agent.id });
    expect(list).toHaveLength(1);

    // Full-screen programs render and quit.
    await page.locator(".xterm").click();
    await page.keyboard.type("seq 1 500 | less\n");
    await expectRow(page, /^1$/);
    await expectRow(page, /^:\s*$/);
    await page.keyboard.type("q");
    await expectPromptLast(page);
    await page.keyboard.type("echo less-done\n");
    await expectRow(page, /^less-done$/);
    await page.keyboard.type("top -d 1\n");
    await expectRow(page, /PID\s+USER/);
    await page.keyboard.type("q");
    // top restores the terminal with TCSAFLUSH, which drops input typed while it quits: wait for
    // the shell to have the screen back before typing (seen as a lost "echo top-done" under load).
    await expectPromptLast(page);
    await page.keyboard.type("echo top-done\n");
    await expectRow(page, /^top-done$/);

    // The shell's exit code is shown; Restart gives a fresh shell.
    await page.keyboard.type("exit 3\n");
    await expect(page.getByRole("alert").filter({ hasText: "The shell exited with code 3" })).toBeVisible();
    const [ended] = await trpcQuery<{ id: string; exit: { code: number } | null }[]>(page.request, "terminals.list", { agentId: agent.id });
    expect(ended!.exit).toEqual({ code: 3, signal: null });
    await page.getByRole("button", { name: "Restart" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "exited" })).toBeHidden();
    await expect
      .poll(async () => (await trpcQuery<{ id: string }[]>(page.request, "terminals.list", { agentId: agent.id })).map((t) => t.id))
      .not.toContain(ended!.id);
    await expect(page.getByRole("tab", { name: /Terminal \d/ })).toHaveCount(1);
    await expectRow(page, /[$#]\s*$/);

    // Closing the tab closes the shell on the bridge.
    const [open] = await trpcQuery<{ id: string }[]>(page.request, "terminals.list", { agentId: agent.id });
    await page.getByRole("button", { name: /^Close Terminal/ }).click();
    await expect
      .poll(async () => (await trpcQuery<{ id: string }[]>(page.request, "terminals.list", { agentId: agent.id })).map((t) => t.id))
      .not.toContain(open!.id);
  });

  test("on the desktop Ctrl+` switches between the AI conversation and the terminal", async ({
    pairedPage: page,
    projectDir,
  }, testInfo) => {
    test.skip(testInfo.project.name !== "desktop", "a keyboard shortcut");
    const agent = await terminalAgent(page, `Desk ${Date.now()}`, projectDir);
    await page.goto(`/agents/${agent.id}`);
    await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
    await page.keyboard.press("Control+Backquote");
    await expect(page.getByRole("tab", { name: "Terminal 1" })).toBeVisible();
    await expect(page.getByRole("toolbar", { name: "Terminal keys" })).toBeHidden(); // a real keyboard needs no key bar
    await expectRow(page, /[$#]\s*$/);
    await page.keyboard.type("echo desk-$((5*5))\n"); // the terminal has focus at once
    await expectRow(page, /^desk-25$/);
    await page.keyboard.press("Control+Backquote"); // from inside the terminal, too
    await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Message" })).toBeFocused();
    await page.keyboard.press("Control+Backquote");
    await expectRow(page, /^desk-25$/);
    await expect(page.getByRole("button", { name: "Terminal", exact: true })).toHaveAttribute("aria-pressed", "true");
    // the shortcut is in the sheet
    await page.keyboard.press("Control+Backquote");
    await page.keyboard.press("Control+/");
    await expect(page.getByText("Switch between AI and command terminal")).toBeVisible();
  });

  test("stopping the bridge (SIGTERM) leaves no terminal process behind", async ({ browser }, testInfo) => {
    test.skip(testInfo.project.name !== "desktop", "one bridge process test is enough");
    test.setTimeout(180_000);
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-term-stop-"));
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-term-stop-project-"));
    const marker = String(600_000 + Math.floor(Math.random() * 99_999));
    /** Live processes whose command line is `sleep <marker>`. */
    const sleeps = () =>
      fs
        .readdirSync("/proc")
        .filter((n) => /^\d+$/.test(n))
        .filter((n) => {
          try {
            return (
              fs.readFileSync(`/proc/${n}/cmdline`, "utf8") === `sleep\0${marker}\0` &&
              !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${n}/stat`, "utf8"))
            );
          } catch {
            return false;
          }
        });
    const bridge = await startBridge(home);
    try {
      const context = await browser.newContext();
      const api = context.request;
      const token = freshPairingUrl(home, bridge.url).split("#token=")[1];
      expect(
        (
          await api.post(`${bridge.url}/api/auth/pair`, { headers: { origin: bridge.url }, data: { token, deviceName: "stopper" } })
        ).status(),
      ).toBe(200);
      const call = async <T>(proc: string, input: unknown): Promise<T> => {
        const res = await api.post(`${bridge.url}/api/trpc/${proc}`, {
          headers: { origin: bridge.url, "content-type": "application/json" },
          data: { json: input },
        });
        expect(res.status(), await res.text()).toBe(200);
        return (await res.json()).result.data.json as T;
      };
      const agent = await call<{ id: string }>("agents.create", { name: "Stopper", folder: project });
      // A start-up command leaves a background job and a foreground job running in the shell.
      await call("agents.updateSettings", {
        id: agent.id,
        settings: { terminalShell: "/bin/sh", terminalStartup: `sleep ${marker} & sleep ${marker}` },
      });
      await call("terminals.create", { agentId: agent.id });
      await call("terminals.create", { agentId: agent.id });
      await expect.poll(() => sleeps().length, { timeout: 15_000 }).toBe(4);

      const exited = new Promise<number | null>((r) => bridge.child.once("exit", (code) => r(code)));
      bridge.child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(sleeps()).toEqual([]);
      await context.close();
    } finally {
      if (bridge.child.exitCode === null) bridge.child.kill("SIGKILL");
      fs.rmSync(home, { recursive: true, force: true });
      fs.rmSync(project, { recursive: true, force: true });
    }
  });
});
