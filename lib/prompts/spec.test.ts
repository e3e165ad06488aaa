import { describe, expect, test } from "vitest";
import { buildSpecPrompt, parseSpecPrompt, specGoal, specSlug } from "./spec";

describe("specSlug", () => {
  test.each([
    ["Set up a tiny static site", "set-up-a-tiny-static-site"],
    ["  Crème brûlée: the   recipe!  ", "creme-brulee-the-recipe"],
    ["v2.0 release — notes", "v2-0-release-notes"],
    ["../../etc/passwd", "etc-passwd"],
    ["!!!", "spec"],
    ["日本語", "spec"],
  ])("%j → %j", (goal, slug) => {
    expect(specSlug(goal)).toBe(slug);
  });

  test("long goals are cut at a word, never past 60 characters", () => {
    const slug = specSlug("migrate every service of the platform to the new logging library and remove the old one");
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug).toBe("migrate-every-service-of-the-platform-to-the-new-logging");
    expect(specSlug("x".repeat(100))).toBe("x".repeat(60));
  });
});

describe("the /spec prompt", () => {
  test("has the exact shape the simulator and the conversation read", () => {
    expect(buildSpecPrompt("set up a tiny static site.", "/home/ada/site/.maestro/playbooks/", "set-up-a-tiny-static-site")).toBe(
      "Write a markdown checklist for: set up a tiny static site. Save it as /home/ada/site/.maestro/playbooks/set-up-a-tiny-static-site.md using GitHub task-list syntax (`- [ ] task`), one task per line.",
    );
  });

  test("a goal over several lines becomes one line, its closing punctuation dropped", () => {
    expect(specGoal("ship\n  the   release!!")).toBe("ship the release");
  });

  test("reads back what it built, folders with spaces included", () => {
    const prompt = buildSpecPrompt("ship v2. Then rest", "/srv/my project/.maestro/playbooks", "ship-v2-then-rest");
    expect(parseSpecPrompt(prompt)).toEqual({
      goal: "ship v2. Then rest",
      folder: "/srv/my project/.maestro/playbooks",
      file: "ship-v2-then-rest.md",
    });
  });

  test.each([
    [null],
    [""],
    ["Write a markdown checklist for: x."],
    ["Write a markdown checklist for: x. Save it as relative/x.md using GitHub task-list syntax (`- [ ] task`), one task per line."],
    ["please Write a markdown checklist for: x. Save it as /a/x.md using GitHub task-list syntax (`- [ ] task`), one task per line."],
  ])("anything else is not a spec prompt: %j", (prompt) => {
    expect(parseSpecPrompt(prompt)).toBeNull();
  });
});
