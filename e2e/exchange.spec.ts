import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closedPort, startRegistry } from "../server/testing/registry-server";
import { expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

/**
 * A registry of our own in RunMaestro/Maestro-Playbooks' layout (manifest.json with `id`,
 * `title`, `category`, `path`, `documents` without `.md`, `prompt: null`; the files at
 * `<path>/<filename>.md`, `<path>/README.md`), served from this test on 127.0.0.1. The bridge is
 * shared by every spec: the Exchange URL is set through Settings here and put back at the end.
 */
const ANALYZE = "# Analyze\n\n- [ ] Map the attack surface\n";
const FIND = "# Find issues\n\n- [ ] List the findings\n";
const PROGRESS = "# Progress\n\n- [ ] Pick the next finding\n";

function registryFiles(stamp: string) {
  const manifest = {
    lastUpdated: "2026-01-10",
    playbooks: [
      {
        id: "development-security",
        title: `Security Audit ${stamp}`,
        description: "Finds what is exploitable and fixes the worst first.",
        category: "Development",
        subcategory: "Security",
        author: "Fixture Author",
        tags: ["owasp", "audit"],
        lastUpdated: "2026-01-10",
        path: "Development/Security",
        documents: [
          { filename: "1_ANALYZE", resetOnCompletion: false },
          { filename: "2_FIND_ISSUES", resetOnCompletion: false },
          { filename: "5_PROGRESS", resetOnCompletion: true },
        ],
        loopEnabled: true,
        maxLoops: 5,
        prompt: null,
      },
      {
        id: "research-market",
        title: "Market Research",
        description: "Builds a knowledge vault about one market.",
        category: "Research",
        author: "Fixture Author",
        lastUpdated: "2026-01-10",
        path: "Research/Market",
        documents: [{ filename: "0_INITIALIZE", resetOnCompletion: false }],
        loopEnabled: false,
        maxLoops: null,
        prompt: null,
        assets: ["config.yaml"],
      },
    ],
  };
  return {
    "manifest.json": JSON.stringify(manifest, null, 2),
    "Development/Security/README.md": "# Security Audit\n\nRead **every** finding before you fix it.\n",
    "Development/Security/1_ANALYZE.md": ANALYZE,
    "Development/Security/2_FIND_ISSUES.md": FIND,
    "Development/Security/5_PROGRESS.md": PROGRESS,
    "Research/Market/0_INITIALIZE.md": "# Initialize\n\n- [ ] Create the vault\n",
    "Research/Market/assets/config.yaml": "market: EV charging\n",
  };
}

test("owner browses the Playbook Exchange, reads a README and imports a playbook in two taps; offline shows the last catalogue", async ({
  pairedPage: page,
  projectDir,
}, testInfo) => {
  const stamp = `${testInfo.project.name} ${Date.now()}`;
  const shot = (name: string) => page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: false });
  const agentName = `Exchange ${stamp}`;
  const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name: agentName, folder: projectDir });
  const title = `Security Audit ${stamp}`;
  const slug = `development/security-audit-${stamp.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  const autorun = path.join(projectDir, ".maestro", "playbooks");
  const registry = await startRegistry(registryFiles(stamp));

  // A local-manifest.json entry beside the registry's, its files in a folder on disk.
  const localManifest = path.join(process.env.MAESTRO_E2E_HOME!, "local-manifest.json");
  const notes = fs.mkdtempSync(path.join(os.tmpdir(), "maestro-e2e-notes-"));
  fs.writeFileSync(path.join(notes, "1_NOTES.md"), "# Notes\n\n- [ ] Write them\n");
  const localTitle = `Team Notes ${stamp}`;
  fs.writeFileSync(
    localManifest,
    JSON.stringify({
      playbooks: [
        {
          id: "team-notes",
          title: localTitle,
          description: "Our own notes playbook.",
          category: "Team",
          author: "Us",
          path: notes,
          documents: [{ filename: "1_NOTES", resetOnCompletion: false }],
          loopEnabled: false,
          prompt: null,
        },
      ],
    }),
  );
  const before = await trpcQuery<{ url: string | null }>(page.request, "exchange.settings", undefined);
  try {
    // The Exchange URL is a setting.
    await page.goto("/settings");
    await page.getByLabel("Playbook Exchange URL").fill(registry.url);
    await page.getByLabel("Playbook Exchange URL").press("Enter");
    await expect(page.getByText("The Playbook Exchange now reads that manifest.")).toBeVisible();
    await page.getByRole("button", { name: "Dismiss" }).click();
    await page.getByRole("region", { name: "Playbook Exchange" }).screenshot({ path: testInfo.outputPath("settings.png") });

    // From the agent's Auto Run page: the Exchange, with categories, search and the local entry.
    await page.goto(`/autorun?agent=${agent.id}`);
    await page.getByRole("link", { name: "Exchange" }).click();
    await expect(page).toHaveURL(new RegExp(`/autorun/exchange\\?agent=${agent.id}$`));
    const list = page.getByRole("list", { name: "Playbooks" });
    await expect(list.getByRole("listitem")).toHaveCount(3);
    await expect(page.getByText("3 playbooks · updated just now")).toBeVisible();
    const local = list.getByRole("button", { name: new RegExp(`^${localTitle}`) });
    await expect(local).toContainText("Local");
    await expect(local).toContainText("1 document · Team · Us");
    await page.getByRole("button", { name: /^Research/, pressed: false }).click();
    await expect(list.getByRole("listitem")).toHaveCount(1);
    await expect(list).toContainText("Market Research");
    await page.getByRole("button", { name: /^All/ }).click();
    await page.getByLabel("Search playbooks").fill("owasp");
    await expect(list.getByRole("listitem")).toHaveCount(1);
    await page.getByLabel("Search playbooks").fill("");
    await expect(list.getByRole("listitem")).toHaveCount(3);
    await shot("browse");

    // A playbook without a README says so.
    await list.getByRole("button", { name: /^Market Research/ }).click();
    await expect(page.getByRole("article", { name: "Market Research" })).toContainText("This playbook has no README.");
    await expect(page.getByRole("article", { name: "Market Research" })).toContainText("1 document and 1 asset · runs once");
    await shot("no-readme");
    if (testInfo.project.name === "phone") await page.getByRole("button", { name: "Back to the Exchange" }).click();

    // Tap 1: the playbook, with its README (fetched now) and documents.
    await list.getByRole("button", { name: new RegExp(`^${title}`) }).click();
    const detail = page.getByRole("article", { name: title });
    await expect(detail.getByRole("region", { name: "README" })).toContainText("Read every finding before you fix it.");
    await expect(detail).toContainText("3 documents · loops up to 5 times · updated 2026-01-10");
    await expect(detail.getByRole("button", { name: `Import to ${agentName}` })).toBeVisible();
    await shot("detail");
    await detail.getByRole("button", { name: "2_FIND_ISSUES.md" }).click();
    await expect(detail.getByRole("region", { name: "2_FIND_ISSUES.md" })).toContainText("List the findings");

    // Tap 2: Import. The playbook and its documents are on the agent's Auto Run page.
    await detail.getByRole("button", { name: `Import to ${agentName}` }).click();
    await expect(page).toHaveURL(new RegExp(`/autorun\\?agent=${agent.id}$`));
    await expect(page.getByText(`Imported “${title}” into ${agentName} with 3 files.`)).toBeVisible();
    await page.getByRole("button", { name: "Dismiss" }).click();
    await expect(page.getByRole("listitem", { name: `Playbook ${title}` })).toContainText("3 documents · loops ×5");
    await expect(page.locator(`[data-testid="document-row"][data-path="${slug}/1_ANALYZE.md"]`)).toBeVisible();
    expect(fs.readFileSync(path.join(autorun, slug, "2_FIND_ISSUES.md"), "utf8")).toBe(FIND);
    await shot("imported");

    // Again after the user edited a document: Keep mine / Replace them, as the import dialog asks.
    fs.writeFileSync(path.join(autorun, slug, "1_ANALYZE.md"), "my own analysis\n");
    await page.goto(`/autorun/exchange?agent=${agent.id}&entry=development-security`);
    const again = page.getByRole("article", { name: title });
    await again.getByRole("button", { name: `Import to ${agentName}` }).click();
    await expect(again.getByRole("alert")).toContainText(
      `1 file of this playbook already exists in the Auto Run folder with other content: ${slug}/1_ANALYZE.md`,
    );
    expect(fs.readFileSync(path.join(autorun, slug, "1_ANALYZE.md"), "utf8")).toBe("my own analysis\n");
    await shot("clash");
    await again.getByRole("button", { name: "Replace them" }).click();
    await expect(page.getByText(`Imported “${title}” into ${agentName} with 3 files.`)).toBeVisible();
    expect(fs.readFileSync(path.join(autorun, slug, "1_ANALYZE.md"), "utf8")).toBe(ANALYZE);

    // The registry goes away: the last good catalogue, said to be offline, local entries too.
    await registry.close();
    await page.goto(`/autorun/exchange?agent=${agent.id}`);
    await expect(page.getByRole("status").filter({ hasText: "Offline — showing the catalogue from" })).toContainText(
      "The Exchange did not answer (connection refused).",
    );
    await expect(list.getByRole("listitem")).toHaveCount(3);
    await shot("offline-cached");

    // Another URL that nothing answers, never fetched: unreachable, and local-manifest.json still lists.
    await trpcMutation(page.request, "exchange.setUrl", { url: `http://127.0.0.1:${await closedPort()}/manifest.json` });
    await page.reload();
    await expect(
      page.getByText("The Playbook Exchange is unreachable (connection refused). Your local-manifest.json still works."),
    ).toBeVisible();
    await expect(list.getByRole("listitem")).toHaveCount(1);
    await expect(list).toContainText(localTitle);
    await shot("unreachable");
  } finally {
    await trpcMutation(page.request, "exchange.setUrl", { url: before.url });
    fs.rmSync(localManifest, { force: true });
    fs.rmSync(notes, { recursive: true, force: true });
    await registry.close().catch(() => undefined);
  }
});
