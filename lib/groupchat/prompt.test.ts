import { describe, expect, test } from "vitest";
import { FINAL_MARKER } from "./mentions";
import {
  compactHistory,
  HEADINGS,
  MODERATOR_OPENER,
  moderatorPrompt,
  PARTICIPANT_OPENER,
  participantPrompt,
  type HistoryLine,
} from "./prompt";

const participants = [
  { name: "Code Reviewer", provider: "claude", folder: "/src/app", role: "reviews diffs" },
  { name: "Ann", provider: "codex", folder: "/src/api", role: "" },
];
const base = {
  chatName: "Ship it",
  participants,
  history: [{ from: "User", text: "Earlier question" }],
  request: "  What now?  ",
  turnsLeft: 5,
};

describe("moderatorPrompt", () => {
  test("the first step: opener, rules with the marker, participants as mentions with roles, history, request, task", () => {
    const p = moderatorPrompt({ ...base, step: { kind: "first" } });
    expect(p.split("\n")[0]).toBe(MODERATOR_OPENER);
    expect(p).toContain(`end your reply with the line ${FINAL_MARKER}`);
    expect(p).toContain("- @Code-Reviewer (claude) in /src/app — reviews diffs");
    expect(p).toContain("- @Ann (codex) in /src/api\n");
    expect(p).toContain(`${HEADINGS.history}\n**User:** Earlier question`);
    expect(p).toContain(`${HEADINGS.request}\nWhat now?`);
    expect(p.indexOf(HEADINGS.task)).toBeGreaterThan(p.indexOf(HEADINGS.request));
    expect(p).not.toContain(HEADINGS.answers);
    expect(p).not.toContain("This is your last turn");
  });

  test("synthesis lists each answer with its status and says a failed one stops the chain", () => {
    const p = moderatorPrompt({
      ...base,
      step: {
        kind: "synthesis",
        answers: [
          { name: "Code Reviewer", status: "done", text: "Looks good." },
          { name: "Ann", status: "timeout", text: "" },
        ],
      },
    });
    expect(p).toContain(`${HEADINGS.answers}\n### @Code-Reviewer (done)\nLooks good.\n\n### @Ann (timeout)\n(no answer)`);
    expect(p).toMatch(/do not continue a chain past it/);
  });

  test("the correction quotes the reply that lost its delegation; the last turn says so", () => {
    const p = moderatorPrompt({ ...base, turnsLeft: 1, step: { kind: "correction", previous: "I will ask Ann." } });
    expect(p).toContain(`${HEADINGS.correction}\nYour last reply mentioned no participant`);
    expect(p).toContain("> I will ask Ann.");
    expect(p).toContain(`This is your last turn for this message: answer the user and end with ${FINAL_MARKER}.`);
  });

  test("no participants yet: the prompt says how the user adds them", () => {
    expect(moderatorPrompt({ ...base, participants: [], step: { kind: "first" } })).toContain("(none yet");
  });
});

describe("participantPrompt", () => {
  test("opener, the participant's own mention name, the history and the moderator's message; a recap only when the session is gone", () => {
    const input = {
      chatName: "Ship it",
      name: "Code Reviewer",
      history: [{ from: "User", text: "Q" }],
      moderatorMessage: " @Code-Reviewer check it ",
    };
    const p = participantPrompt(input);
    expect(p.split("\n")[0]).toBe(PARTICIPANT_OPENER);
    expect(p).toContain('You are @Code-Reviewer in the group chat "Ship it"');
    expect(p).toContain("one-sentence summary");
    expect(p.endsWith(`${HEADINGS.moderatorMessage}\n@Code-Reviewer check it`)).toBe(true);
    expect(p).not.toContain(HEADINGS.recap);
    const respawned = participantPrompt({ ...input, recap: [{ from: "@Code-Reviewer", text: "I said X before." }] });
    expect(respawned).toContain(`${HEADINGS.recap}\n**@Code-Reviewer:** I said X before.`);
    expect(respawned.indexOf(HEADINGS.recap)).toBeLessThan(respawned.indexOf(HEADINGS.history));
  });
});

describe("compactHistory", () => {
  const line = (i: number, n: number): HistoryLine => ({ from: `A${i}`, text: `${i}:`.padEnd(n, "x") });

  test("nothing yet; everything whole while it fits", () => {
    expect(compactHistory([])).toBe("(nothing yet)");
    expect(compactHistory([line(1, 10), line(2, 10)], 1000)).toBe(`**A1:** 1:xxxxxxxx\n\n**A2:** 2:xxxxxxxx`);
  });

  test("past the budget the newest stay whole, older ones are shortened, the oldest left out with a count", () => {
    const lines = Array.from({ length: 30 }, (_, i) => line(i, 600));
    const out = compactHistory(lines, 4000);
    expect(out.length).toBeLessThanOrEqual(4000 + 100);
    const parts = out.split("\n\n");
    const omitted = Number(/^\((\d+) earlier messages left out\)$/.exec(parts[0]!)?.[1]);
    expect(omitted).toBeGreaterThan(0);
    expect(parts.length - 1 + omitted).toBe(30);
    // The newest message is whole; the oldest kept is shortened to its opening.
    expect(parts.at(-1)).toBe(`**A29:** ${lines[29]!.text}`);
    expect(parts[1]!.endsWith("…")).toBe(true);
    expect(parts[1]!.length).toBeLessThan(600);
  });

  test("one message left out is said in the singular", () => {
    const out = compactHistory([line(0, 500), line(1, 500), line(2, 500)], 1100);
    expect(out.startsWith("(1 earlier message left out)")).toBe(true);
  });
});
