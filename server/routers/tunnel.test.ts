import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { callerFor, createTestServices, pairedOwner } from "../testing/harness";

const FAKE_BIN = path.resolve(import.meta.dirname, "../../test/fixtures/bin");
let services: ReturnType<typeof createTestServices>;
let caller: ReturnType<typeof callerFor>;

beforeAll(async () => {
  services = createTestServices({ tunnel: { env: { ...process.env, PATH: `${FAKE_BIN}${path.delimiter}${process.env.PATH}` } } });
  services.tunnel.setTarget("127.0.0.1", 4281);
  caller = callerFor(services, (await pairedOwner(services)).principal);
});
afterAll(() => services.cleanup());

test("the view: state, QR of the running URL, LAN info, install steps; the token never leaves", async () => {
  await expect(caller.tunnel.pairingLink()).rejects.toMatchObject({ code: "CONFLICT" });
  const idle = await caller.tunnel.status();
  expect(idle).toMatchObject({
    status: { state: "idle", binary: path.join(FAKE_BIN, "cloudflared") },
    qr: null,
    target: "http://127.0.0.1:4281",
  });
  expect(idle.install.map((s) => s.label)).toEqual(expect.arrayContaining(["macOS", "Windows"]));
  expect(idle.lan.listening).toBe(false);

  await caller.tunnel.configure({ mode: "named", hostname: "maestro.example.com", token: "sekrit-token-value" });
  const view = await caller.tunnel.status();
  expect(view.config).toEqual({ mode: "named", hostname: "maestro.example.com", hasToken: true, binaryPath: null });
  expect(JSON.stringify(view)).not.toContain("sekrit");
  await caller.tunnel.configure({ mode: "quick" });

  const up = new Promise<void>((r) => {
    const off = services.bus.subscribe("tunnel.status", (s) => s.state === "running" && (off(), r()));
  });
  await caller.tunnel.start();
  await up;
  const running = await caller.tunnel.status();
  expect(running.status.url).toMatch(/trycloudflare\.com$/);
  expect(running.qr).toMatch(/^data:image\/svg\+xml;base64,/);
  expect(Buffer.from(running.qr!.split(",")[1]!, "base64").toString()).toContain("<svg");

  const link = await caller.tunnel.pairingLink();
  expect(link.url).toMatch(new RegExp(`^${running.status.url!.replace(/\./g, "\\.")}/pair#token=[A-Za-z0-9_-]{43}$`));
  await caller.tunnel.stop();
  expect((await caller.tunnel.status()).status.state).toBe("idle");
});

test("onStatus yields the current view at once, then on every change", async () => {
  const stream = await caller.tunnel.onStatus();
  const it = stream[Symbol.asyncIterator]();
  expect((await it.next()).value).toMatchObject({ status: { state: "idle" } });
  await caller.tunnel.start();
  let state = "";
  while (state !== "running") state = ((await it.next()).value as { status: { state: string } }).status.state;
  await it.return?.(undefined);
  await caller.tunnel.stop();
});
