import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { trpcMutation } from "./trpc";

const PLAN = [
  "# Sprint",
  "- [ ] Write the spec",
  "  - [ ] List the edge cases",
  "  - [ ] Ask for review",
  "- [ ] Write the tests",
  "- [ ] Ship it",
].join("\n");

test("owner writes an Auto Run checklist on the phone, ticks a task, and sees an outside edit", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", {
    name: `Docs ${testInfo.project.name} ${Date.now()}`,
    folder: projectDir,
  });
  const file = path.join(projectDir, ".maestro", "playbooks", "sprint.md");

  // From the agent to its checklists.
  await page.goto(`/agents/${agent.id}`);
  await page.getByRole("link", { name: /^Auto Run for Docs/ }).click();
  await expect(page).toHaveURL(/\/autorun\?agent=/);
  await expect(page.getByText("No documents yet")).toBeVisible();

  await page.getByRole("button", { name: "New document" }).click();
  const dialog = page.getByRole("dialog", { name: "New document" });
  await dialog.getByLabel("Name").fill("sprint");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog).toBeHidden();

  const editor = page.getByRole("region", { name: "Document sprint" });
  await editor.getByRole("button", { name: "Edit" }).click();
  await editor.getByRole("textbox", { name: "Document text" }).fill(PLAN);
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(editor.getByText("Unsaved", { exact: true })).toBeHidden();
  await expect(editor.getByRole("button", { name: "Save" })).toBeDisabled();
  expect(fs.readFileSync(file, "utf8")).toBe(PLAN);

  await editor.getByRole("button", { name: "Back to documents" }).click();
  const row = page.getByTestId("document-row").filter({ hasText: "sprint" });
  await expect(row.getByTestId("doc-progress")).toHaveText("0/5");

  await row
    .getByRole("button", { name: /sprint/ })
    .first()
    .click();
  await editor.getByRole("button", { name: "Preview" }).click();
  await editor.getByRole("checkbox", { name: "Ask for review" }).check();
  await expect(editor.getByTestId("doc-progress")).toHaveText("1/5");
  await expect.poll(() => fs.readFileSync(file, "utf8")).toBe(PLAN.replace("- [ ] Ask for review", "- [x] Ask for review"));

  // Another tool edits the file: the open preview and the counts follow.
  fs.writeFileSync(file, `${fs.readFileSync(file, "utf8")}\n- [x] Celebrate\n`);
  await expect(editor.getByRole("checkbox", { name: "Celebrate" })).toBeChecked();
  await expect(editor.getByTestId("doc-progress")).toHaveText("2/6");
  await page.screenshot({ path: testInfo.outputPath("editor.png") });

  await editor.getByRole("button", { name: "Back to documents" }).click();
  await expect(row.getByTestId("doc-progress")).toHaveText("2/6");
});
