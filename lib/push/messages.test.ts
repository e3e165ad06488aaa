import { describe, expect, test } from "vitest";
import { base64UrlToBytes } from "./base64url";
import { agentTabPath, approvalMessage, clip, messageFromNotify, safeAppPath, testMessage, turnFinishedMessage } from "./messages";
import { pushServiceName } from "./service-name";

describe("clip", () => {
  test.each([
    ["short", 10, "short"],
    ["  spaced\n\nlines  ", 20, "spaced lines"],
    ["abcdefghij", 5, "abcd…"],
    ["abc   defgh", 5, "abc…"],
  ])("%j to %i", (text, max, expected) => expect(clip(text, max)).toBe(expected));
});

describe("safeAppPath", () => {
  test.each([
    ["/agents/a?tab=t", "/agents/a?tab=t"],
    ["/", "/"],
    ["//evil.example/x", "/"],
    ["/\\evil.example", "/"],
    ["https://evil.example/", "/"],
    ["javascript:alert(1)", "/"],
    ["", "/"],
    // URL parsers drop tabs and newlines, so these are "//evil.example" once parsed.
    ["/\t/evil.example", "/"],
    ["/\n/evil.example/x", "/"],
    ["/\r\\evil.example", "/"],
    [" //evil.example", "/"],
    ["/agents/a%2F%2Fb", "/agents/a%2F%2Fb"],
  ])("%j → %j", (url, expected) => expect(safeAppPath(url)).toBe(expected));
});

test("agentTabPath encodes ids", () => {
  expect(agentTabPath("a 1", "t/2")).toBe("/agents/a%201?tab=t%2F2");
  expect(agentTabPath("a1")).toBe("/agents/a1");
});

describe("messageFromNotify", () => {
  test.each([
    [
      { kind: "run-done", agentId: "ag1", title: "Run finished", body: "12 of 12 tasks done", url: "/autorun?agent=ag1" },
      { kind: "run-done", title: "Run finished", body: "12 of 12 tasks done", url: "/autorun?agent=ag1", tag: "run-done:ag1" },
    ],
    [
      { kind: "task-failed", agentId: "ag2", title: "", body: "x".repeat(500), url: "https://elsewhere" },
      { kind: "task-failed", title: "Maestro", body: `${"x".repeat(179)}…`, url: "/", tag: "task-failed:ag2" },
    ],
  ] as const)("%#", (event, expected) => expect(messageFromNotify(event)).toEqual(expected));
});

describe("approval notifications", () => {
  const event = {
    kind: "approval",
    agentId: "ag1",
    title: "Backend needs you",
    body: "Claude wants to run: rm -rf build",
    url: "/agents/ag1?tab=tb1&turn=tu1",
    approvalId: "ap1",
  } as const;

  test("a tool call: its own tag, kept on screen, the deep link, Allow and Deny", () => {
    expect(messageFromNotify({ ...event, actions: true })).toEqual({
      kind: "approval",
      title: "Backend needs you",
      body: "Claude wants to run: rm -rf build",
      url: "/agents/ag1?tab=tb1&turn=tu1",
      tag: "approval:ap1",
      approvalId: "ap1",
      requireInteraction: true,
      actions: [
        { action: "allow", title: "Allow" },
        { action: "deny", title: "Deny" },
      ],
    });
  });

  test("a question has no actions (it needs the app); two requests never replace each other", () => {
    const question = messageFromNotify({ ...event, actions: false });
    expect(question).not.toHaveProperty("actions");
    expect(question).toMatchObject({ tag: "approval:ap1", requireInteraction: true });
    expect(messageFromNotify({ ...event, approvalId: "ap2" }).tag).toBe("approval:ap2");
  });

  test("a body cut to fit has no one-tap Allow: it only opens the card", () => {
    const long = approvalMessage({ ...event, body: `wants to use mcp__a_long_server__tool: ${"x".repeat(200)}; rm -rf ~`, actions: true });
    expect(long.body.endsWith("…")).toBe(true);
    expect(long).not.toHaveProperty("actions");
    expect(approvalMessage({ ...event, body: `wants to run: ${"y".repeat(165)}`, actions: true }).actions).toHaveLength(2);
  });

  test("model text is cleaned before it reaches the lock screen", () => {
    const m = approvalMessage({ ...event, title: "B\u001b[31mot needs you", body: "wants to run: ls \u202e~ fr- mr\u0007", actions: true });
    expect(m.title).toBe("Bot needs you");
    expect(m.body).toBe("wants to run: ls ⟪U+202E⟫~ fr- mr");
    expect(
      turnFinishedMessage({ agentId: "a", agentName: "X", tabId: "t", prompt: "", status: "error", errorMessage: "\u001b[1mboom\u2067" })
        .body,
    ).toBe("boom⟪U+2067⟫");
  });

  test("a foreign url opens the dashboard; at most two actions (Chromium's limit)", () => {
    const m = approvalMessage({ ...event, url: "//evil.example", actions: true });
    expect(m.url).toBe("/");
    expect(m.actions!.length).toBeLessThanOrEqual(2);
  });
});

describe("turnFinishedMessage", () => {
  const base = { agentId: "ag", agentName: "Backend", tabId: "tb", prompt: "Fix the\nlogin bug" };
  test.each([
    [{ ...base, status: "done" }, "Backend finished", "“Fix the login bug”"],
    [{ ...base, status: "error", errorMessage: "claude exited with code 1" }, "Backend hit an error", "claude exited with code 1"],
    [{ ...base, status: "error", errorMessage: null }, "Backend hit an error", "“Fix the login bug”"],
    [{ ...base, status: "stopped" }, "Backend stopped", "“Fix the login bug”"],
    [{ ...base, agentName: "", prompt: "", status: "done" }, "Agent finished", ""],
  ] as const)("%#: %s", (turn, title, body) => {
    expect(turnFinishedMessage(turn)).toEqual({ kind: "turn-done", title, body, url: "/agents/ag?tab=tb", tag: "turn:tb" });
  });
});

test("the test message opens the notifications settings", () => {
  expect(testMessage()).toMatchObject({ kind: "test", url: "/settings#notifications" });
});

describe("base64UrlToBytes", () => {
  test.each([
    ["", []],
    ["AQID", [1, 2, 3]],
    ["_-8", [255, 239]],
    ["AQ==", [1]],
    ["AQ", [1]],
  ])("%j", (text, bytes) => expect(Array.from(base64UrlToBytes(text)!)).toEqual(bytes));
  test.each(["A", "a+b/", "a b", "AQ=x"])("%j is refused", (text) => expect(base64UrlToBytes(text)).toBeNull());
});

describe("pushServiceName", () => {
  test.each([
    ["https://fcm.googleapis.com/fcm/send/abc", "Chrome push (Google)"],
    ["https://updates.push.services.mozilla.com/wpush/v2/x", "Firefox push (Mozilla)"],
    ["https://web.push.apple.com/QG…", "Safari push (Apple)"],
    ["https://wns2-par02p.notify.windows.com/w/?token=x", "Edge push (Microsoft)"],
    ["https://127.0.0.1:8443/push/1", "127.0.0.1"],
    ["https://evilfcm.googleapis.com.example/x", "evilfcm.googleapis.com.example"],
    ["not a url", "Unknown push service"],
  ])("%s", (endpoint, name) => expect(pushServiceName(endpoint)).toBe(name));
});
