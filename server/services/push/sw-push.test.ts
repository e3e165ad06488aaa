import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { describe, expect, test } from "vitest";

/**
 * `public/sw-push.js` runs in the service worker; here it runs in a VM with a stand-in `self`
 * that records what it shows and where a click navigates. A notification must only ever open
 * this app's own pages, whatever `url` a push carries.
 */
const ORIGIN = "https://maestro.example";
const source = fs.readFileSync(path.join(__dirname, "../../../public/sw-push.js"), "utf8");

interface FetchCall {
  url: string;
  init: { method: string; credentials: string; headers: Record<string, string>; body: string };
}

/** `answer` is what the stand-in bridge says to a fetch: a status, or a network failure. */
function loadWorker(answer: number | "offline" = 200) {
  const listeners: Record<string, (event: any) => void> = {};
  const shown: { title: string; options: any }[] = [];
  // What is on screen: a notification with the same tag replaces the one before it.
  const onScreen: { title: string; tag: string; options: any; close: () => void }[] = [];
  const opened: string[] = [];
  const fetched: FetchCall[] = [];
  const self = {
    location: { origin: ORIGIN },
    addEventListener: (type: string, fn: (event: any) => void) => (listeners[type] = fn),
    registration: {
      showNotification: async (title: string, options: any) => {
        shown.push({ title, options });
        const tag = options.tag ?? "";
        const i = tag ? onScreen.findIndex((n) => n.tag === tag) : -1;
        const n = { title, tag, options, close: () => onScreen.splice(onScreen.indexOf(n), 1) };
        if (i >= 0) onScreen[i] = n;
        else onScreen.push(n);
      },
      getNotifications: async (filter?: { tag?: string }) => onScreen.filter((n) => !filter?.tag || n.tag === filter.tag),
    },
    clients: { matchAll: async () => [], openWindow: async (url: string) => void opened.push(url) },
  };
  const fetch = async (url: string, init: FetchCall["init"]) => {
    fetched.push({ url, init });
    if (answer === "offline") throw new TypeError("Failed to fetch");
    return { ok: answer >= 200 && answer < 300, status: answer };
  };
  vm.runInNewContext(source, { self, URL, console, fetch });
  async function push(message: unknown) {
    let done: Promise<unknown> = Promise.resolve();
    listeners.push!({ data: { json: () => message, text: () => JSON.stringify(message) }, waitUntil: (p: Promise<unknown>) => (done = p) });
    await done;
    return shown[shown.length - 1]!;
  }
  async function click(data: unknown, action = "") {
    let done: Promise<unknown> = Promise.resolve();
    let closed = false;
    listeners.notificationclick!({
      action,
      notification: { data, close: () => (closed = true) },
      waitUntil: (p: Promise<unknown>) => (done = p),
    });
    await done;
    expect(closed).toBe(true);
    return opened[opened.length - 1];
  }
  return { push, click, fetched, opened, shown, onScreen };
}

test.each([
  ["/agents/a?tab=t", `${ORIGIN}/agents/a?tab=t`],
  ["//evil.example/x", `${ORIGIN}/`],
  ["https://evil.example/", `${ORIGIN}/`],
  ["/\t/evil.example/x", `${ORIGIN}/`],
  ["/\n/evil.example", `${ORIGIN}/`],
  ["/\r\\evil.example", `${ORIGIN}/`],
  [42, `${ORIGIN}/`],
])("a push with url %j opens %s", async (url, expected) => {
  const worker = loadWorker();
  const shown = await worker.push({ title: "Done", body: "b", url, kind: "turn-done" });
  expect(shown.options.data.url).toBe(expected);
  expect(await worker.click(shown.options.data)).toBe(expected);
});

test("a click re-checks the url it was handed (a notification shown by an older worker)", async () => {
  const worker = loadWorker();
  expect(await worker.click({ url: "https://evil.example/" })).toBe(`${ORIGIN}/`);
  expect(await worker.click({ url: `${ORIGIN}/history` })).toBe(`${ORIGIN}/history`);
});

describe("an approval notification", () => {
  const approval = {
    kind: "approval",
    title: "Backend needs you",
    body: "Claude wants to run: touch hi.txt",
    url: "/agents/ag1?tab=tb1",
    tag: "approval:ap1",
    approvalId: "ap1",
    requireInteraction: true,
    actions: [
      { action: "allow", title: "Allow" },
      { action: "deny", title: "Deny" },
    ],
  };

  test("shows Allow and Deny, stays on screen, and keeps the request's id", async () => {
    const shown = await loadWorker().push(approval);
    expect(shown.title).toBe("Backend needs you");
    expect(shown.options).toMatchObject({
      tag: "approval:ap1",
      requireInteraction: true,
      actions: approval.actions,
      data: { url: `${ORIGIN}/agents/ag1?tab=tb1`, kind: "approval", approvalId: "ap1" },
    });
  });

  test("only an approval carries a request id in its data", async () => {
    const worker = loadWorker();
    expect((await worker.push({ ...approval, kind: "turn-done" })).options.data).toEqual({
      url: `${ORIGIN}/agents/ag1?tab=tb1`,
      kind: "turn-done",
    });
  });

  test("a question (no actions in the payload) and other kinds get no buttons", async () => {
    const worker = loadWorker();
    expect((await worker.push({ ...approval, actions: undefined })).options.actions).toEqual([]);
    expect((await worker.push({ ...approval, kind: "turn-done" })).options.actions).toEqual([]);
    expect((await worker.push({ ...approval, actions: [{ action: "rm", title: "Run" }, ...approval.actions] })).options.actions).toEqual(
      approval.actions,
    );
  });

  test.each(["allow", "deny"])("tapping %s answers it with the device's cookie and opens nothing", async (action) => {
    const worker = loadWorker(200);
    const shown = await worker.push(approval);
    expect(await worker.click(shown.options.data, action)).toBeUndefined();
    expect(worker.fetched).toHaveLength(1);
    const [call] = worker.fetched;
    expect(call!.url).toBe("/api/trpc/approvals.answer");
    expect(call!.init).toMatchObject({ method: "POST", credentials: "same-origin", headers: { "content-type": "application/json" } });
    expect(JSON.parse(call!.init.body)).toEqual({ json: { approvalId: "ap1", decision: action } });
  });

  test.each([409, 401, 403, 404, 500, "offline"] as const)("an answer refused (%s) opens the turn instead", async (answer) => {
    const worker = loadWorker(answer);
    const shown = await worker.push(approval);
    expect(await worker.click(shown.options.data, "allow")).toBe(`${ORIGIN}/agents/ag1?tab=tb1`);
    expect(worker.fetched).toHaveLength(1);
  });

  test("a tap on the body opens the turn and answers nothing", async () => {
    const worker = loadWorker();
    const shown = await worker.push(approval);
    expect(await worker.click(shown.options.data, "")).toBe(`${ORIGIN}/agents/ag1?tab=tb1`);
    expect(worker.fetched).toEqual([]);
  });

  test("an unknown action, or an action without a request id, only opens the app", async () => {
    const worker = loadWorker();
    const shown = await worker.push(approval);
    expect(await worker.click(shown.options.data, "always")).toBe(`${ORIGIN}/agents/ag1?tab=tb1`);
    expect(await worker.click({ url: `${ORIGIN}/x` }, "allow")).toBe(`${ORIGIN}/x`);
    expect(worker.fetched).toEqual([]);
  });
});

describe("an approval that ended elsewhere", () => {
  const approval = (id: string) => ({
    kind: "approval",
    title: "Backend needs you",
    body: "wants to run: touch hi.txt",
    url: "/agents/ag1",
    tag: `approval:${id}`,
    approvalId: id,
    requireInteraction: true,
    actions: [
      { action: "allow", title: "Allow" },
      { action: "deny", title: "Deny" },
    ],
  });
  const ended = (id: string) => ({
    kind: "approval-ended",
    title: "Allowed",
    body: "Answered on another device.",
    url: "/agents/ag1",
    tag: `approval:${id}`,
  });

  test("with another Maestro notification on screen, it is simply closed", async () => {
    const worker = loadWorker();
    await worker.push(approval("ap1"));
    await worker.push(approval("ap2"));
    await worker.push(ended("ap1"));
    expect(worker.onScreen.map((n) => n.tag)).toEqual(["approval:ap2"]);
    expect(worker.shown).toHaveLength(2);
  });

  test("as the only one, it is replaced in place by a quiet notice with no buttons (a push must show something)", async () => {
    const worker = loadWorker();
    await worker.push(approval("ap1"));
    await worker.push(ended("ap1"));
    expect(worker.onScreen).toHaveLength(1);
    const [n] = worker.onScreen;
    expect(n!.title).toBe("Allowed");
    expect(n!.options).toMatchObject({
      tag: "approval:ap1",
      silent: true,
      renotify: false,
      requireInteraction: false,
      actions: [],
      data: { url: `${ORIGIN}/agents/ag1`, kind: "approval-ended" },
    });
    expect(n!.options.data).not.toHaveProperty("approvalId");
  });

  test("it never touches other kinds of notifications, nor a tag that is not an approval's", async () => {
    const worker = loadWorker();
    await worker.push({ kind: "turn-done", title: "Done", body: "", url: "/", tag: "turn:t1" });
    await worker.push({ ...ended("x"), tag: "turn:t1" });
    await worker.push(ended("ap9"));
    expect(worker.onScreen.map((n) => [n.tag, n.title])).toEqual([["turn:t1", "Done"]]);
  });
});
