import fs from "node:fs";
import path from "node:path";
import { makeZip, unzip } from "../server/testing/zip";
import { expect, test } from "./fixtures";
import { trpcMutation } from "./trpc";

/**
 * Our own fixtures in the shapes desktop publishes: a `.maestro-playbook.zip` as its
 * `playbooks:export` writes one (pedramamini/Maestro src/main/ipc/handlers/playbooks.ts), and a
 * registry manifest.json (RunMaestro/Maestro-Playbooks: title, description, prompt null).
 */
const PLAN = "# Plan\n\n- [ ] Write the release notes\n";
const VERIFY = "# Verify\n\n- [ ] Run the checks\n";

function desktopZip(name: string, plan = PLAN) {
  const manifest = {
    version: 1,
    name,
    documents: [
      { filename: "1_PLAN", resetOnCompletion: false },
      { filename: "checks/2_VERIFY", resetOnCompletion: true },
    ],
    loopEnabled: false,
    maxLoops: null,
    prompt: "",
    worktreeSettings: { branchNameTemplate: "release/{{DATE}}", createPROnCompletion: true, prTargetBranch: "main" },
    exportedAt: 1767225600000,
  };
  return makeZip([
    { name: "manifest.json", data: JSON.stringify(manifest, null, 2) },
    { name: "documents/1_PLAN.md", data: plan },
    { name: "documents/checks/2_VERIFY.md", data: VERIFY },
    { name: "assets/config.yaml", data: "checks: [lint]\n" },
  ]);
}

const registry = (title: string) => ({
  lastUpdated: "2026-02-01",
  playbooks: [
    {
      id: "quality-lint-sweep",
      title,
      description: "Finds lint warnings and fixes the safe ones.",
      category: "Quality",
      author: "Fixture Author",
      lastUpdated: "2026-02-01",
      path: "Quality/Lint",
      documents: [
        { filename: "1_SCAN", resetOnCompletion: false },
        { filename: "2_FIX", resetOnCompletion: true },
      ],
      loopEnabled: true,
      maxLoops: 3,
      prompt: null,
    },
    {
      id: "docs-readme",
      title: "README Refresh",
      description: "Rewrites the README from the code.",
      category: "Docs",
      author: "Fixture Author",
      lastUpdated: "2026-02-01",
      path: "Docs/Readme",
      documents: [{ filename: "1_READ", resetOnCompletion: false }],
      loopEnabled: false,
      prompt: null,
    },
  ],
});

test("owner imports a desktop playbook zip with its documents, exports it back, and picks one playbook from a registry manifest", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  const stamp = `${testInfo.project.name} ${Date.now()}`;
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name: `Bundles ${stamp}`, folder: projectDir });
  const folder = path.join(projectDir, ".maestro", "playbooks");
  const name = `Release ${stamp}`;
  const zip = await desktopZip(name);

  await page.goto(`/autorun?agent=${agent.id}`);
  await page.getByRole("button", { name: "Import", exact: true }).click();
  let dialog = page.getByRole("dialog", { name: "Import a playbook" });
  await dialog.getByLabel("For agent").selectOption(agent.id);
  await dialog
    .getByLabel("Playbook file")
    .setInputFiles({ name: "release.maestro-playbook.zip", mimeType: "application/zip", buffer: zip });
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Imported “${name}” with 3 files.`)).toBeVisible();
  await page.getByRole("button", { name: "Dismiss" }).click();

  const row = page.getByRole("listitem", { name: `Playbook ${name}` });
  await expect(row).toContainText("2 documents");
  await expect(page.locator('[data-testid="document-row"][data-path="1_PLAN.md"]')).toBeVisible();
  await expect(page.locator('[data-testid="document-row"][data-path="checks/2_VERIFY.md"]')).toBeVisible();
  expect(fs.readFileSync(path.join(folder, "1_PLAN.md"), "utf8")).toBe(PLAN);
  expect(fs.readFileSync(path.join(folder, "assets", "config.yaml"), "utf8")).toBe("checks: [lint]\n");
  await page.screenshot({ path: testInfo.outputPath("imported.png") });

  // Export .zip: the same manifest fields and documents come back.
  await row.getByRole("button", { name: `Export ${name}` }).click();
  await expect(page.getByRole("menuitem", { name: "Export .json" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("export-menu.png") });
  const downloading = page.waitForEvent("download");
  await page.getByRole("menuitem", { name: "Export .zip" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^Release_.*\.maestro-playbook\.zip$/);
  const files = await unzip(fs.readFileSync(await download.path()));
  expect([...files.keys()].sort()).toEqual(["assets/config.yaml", "documents/1_PLAN.md", "documents/checks/2_VERIFY.md", "manifest.json"]);
  const original = JSON.parse((await unzip(zip)).get("manifest.json")!.toString()) as Record<string, unknown>;
  const exported = JSON.parse(files.get("manifest.json")!.toString()) as Record<string, unknown>;
  expect({ ...exported, exportedAt: 0 }).toEqual({ ...original, exportedAt: 0 });

  // The same zip again after the user edited a document: the clash is named, and replaced only when asked.
  fs.writeFileSync(path.join(folder, "1_PLAN.md"), "my own edits\n");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  dialog = page.getByRole("dialog", { name: "Import a playbook" });
  await dialog.getByLabel("For agent").selectOption(agent.id);
  await dialog
    .getByLabel("Playbook file")
    .setInputFiles({ name: "release.maestro-playbook.zip", mimeType: "application/zip", buffer: zip });
  await expect(dialog.getByRole("alert")).toContainText(
    "1 file of this playbook already exists in the Auto Run folder with other content: 1_PLAN.md",
  );
  expect(fs.readFileSync(path.join(folder, "1_PLAN.md"), "utf8")).toBe("my own edits\n");
  await page.screenshot({ path: testInfo.outputPath("clash.png") });
  await dialog.getByRole("button", { name: "Replace them" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Imported “${name}” with 1 file.`)).toBeVisible();
  await page.getByRole("button", { name: "Dismiss" }).click();
  expect(fs.readFileSync(path.join(folder, "1_PLAN.md"), "utf8")).toBe(PLAN);

  // A registry manifest opens a picker; the picked playbook's documents are named as missing.
  const title = `Lint Sweep ${stamp}`;
  await page.getByRole("button", { name: "Import", exact: true }).click();
  dialog = page.getByRole("dialog", { name: "Import a playbook" });
  await dialog.getByLabel("For agent").selectOption(agent.id);
  await dialog
    .getByLabel("Playbook file")
    .setInputFiles({ name: "manifest.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(registry(title))) });
  const picker = dialog.getByRole("region", { name: "Playbooks in this manifest" });
  await expect(picker.getByRole("button", { name: `Import ${title}` })).toContainText("Finds lint warnings and fixes the safe ones.");
  await expect(picker.getByRole("button", { name: `Import ${title}` })).toContainText("2 documents · Quality · Fixture Author");
  await expect(picker.getByRole("button", { name: "Import README Refresh" })).toContainText("1 document");
  await page.screenshot({ path: testInfo.outputPath("picker.png") });
  await picker.getByRole("button", { name: `Import ${title}` }).click();
  await expect(dialog.getByRole("status")).toContainText("These 2 documents are not in the Auto Run folder yet");
  await expect(dialog.getByRole("status")).toContainText("1_SCAN.md");
  await page.screenshot({ path: testInfo.outputPath("missing.png") });
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("listitem", { name: `Playbook ${title}` })).toContainText("2 documents · loops ×3");
});
