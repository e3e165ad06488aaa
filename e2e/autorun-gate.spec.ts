import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { trpcMutation } from "./trpc";

/** A document with desktop's HITL gate (and its artifact) and a task marked for a person. */
const DOC = `# Ship

- [ ] write notes.txt

<!-- MAESTRO:HITL reason="Spec ready for review" artifact=".maestro/outputs/SPEC.md" -->
- [ ] draft the release post
- [ ] (human) sign off the release
- [ ] announce it
`;

const states = (file: string) => [...fs.readFileSync(file, "utf8").matchAll(/^- \[([ x])\]/gm)].map((m) => m[1] === "x");

test("a run waits for a person: the HITL gate opens its artifact, a person's task is ticked in one tap, and the run goes on", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  test.setTimeout(90_000);
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", {
    name: `Gate ${testInfo.project.name} ${Date.now()}`,
    folder: projectDir,
  });
  const folder = path.join(projectDir, ".maestro", "playbooks");
  fs.mkdirSync(path.join(projectDir, ".maestro", "outputs"), { recursive: true });
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(projectDir, ".maestro", "outputs", "SPEC.md"), "# The spec\n\nShip **on Friday**.\n");
  const file = path.join(folder, "ship.md");
  fs.writeFileSync(file, DOC);

  // Run the document straight from the list: no playbook.
  await page.goto(`/autorun?agent=${agent.id}`);
  await page.getByRole("button", { name: "Run ship", exact: true }).click();
  const progress = page.getByRole("region", { name: "Run progress" });
  const waiting = progress.getByTestId("run-waiting");
  await expect(waiting).toContainText("Needs your review", { timeout: 30_000 });
  await expect(waiting).toContainText("Spec ready for review");
  expect(states(file)).toEqual([true, false, false, false]);

  // The artifact opens in place, rendered.
  await waiting.getByRole("button", { name: "Open SPEC.md" }).click();
  const artifact = page.getByRole("dialog", { name: ".maestro/outputs/SPEC.md" });
  await expect(artifact.getByRole("heading", { name: "The spec" })).toBeVisible();
  await expect(artifact.locator("strong")).toHaveText("on Friday");
  await page.screenshot({ path: testInfo.outputPath("artifact.png") });
  await page.keyboard.press("Escape");

  // Let the gate through; the agent drafts the post, then the run stops at the person's task.
  await progress.getByRole("button", { name: "Resume" }).click();
  await expect(waiting).toContainText("A task for you", { timeout: 30_000 });
  await expect(waiting).toContainText("sign off the release");
  await expect(progress.getByRole("button", { name: "Leave it" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("person.png") });
  expect(states(file)).toEqual([true, true, false, false]);

  // One tap: the person did it; the box is ticked and the agent does the rest.
  await waiting.getByRole("button", { name: "Done: tick it and go on" }).click();
  await expect(progress.getByTestId("run-status")).toHaveText("Done", { timeout: 30_000 });
  expect(states(file)).toEqual([true, true, true, true]);
});
