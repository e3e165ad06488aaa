import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { expect, test } from "vitest";

/**
 * `public/sw-push.js` runs in the service worker; here it runs in a VM with a stand-in `self`
 * that records what it shows and where a click navigates. A notification must only ever open
 * this app's own pages, whatever `url` a push carries.
 */
const ORIGIN = "https://maestro.example";
const source = fs.readFileSync(path.join(__dirname, "../../../public/sw-push.js"), "utf8");

function loadWorker() {
  const listeners: Record<string, (event: any) => void> = {};
  const shown: { title: string; options: any }[] = [];
  const opened: string[] = [];
  const self = {
    location: { origin: ORIGIN },
    addEventListener: (type: string, fn: (event: any) => void) => (listeners[type] = fn),
    registration: { showNotification: async (title: string, options: any) => void shown.push({ title, options }) },
    clients: { matchAll: async () => [], openWindow: async (url: string) => void opened.push(url) },
  };
  vm.runInNewContext(source, { self, URL, console });
  async function push(message: unknown) {
    let done: Promise<unknown> = Promise.resolve();
    listeners.push!({ data: { json: () => message, text: () => JSON.stringify(message) }, waitUntil: (p: Promise<unknown>) => (done = p) });
    await done;
    return shown[shown.length - 1]!;
  }
  async function click(data: unknown) {
    let done: Promise<unknown> = Promise.resolve();
    listeners.notificationclick!({ notification: { data, close() {} }, waitUntil: (p: Promise<unknown>) => (done = p) });
    await done;
    return opened[opened.length - 1]!;
  }
  return { push, click };
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
