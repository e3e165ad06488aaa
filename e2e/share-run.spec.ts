import fs from "node:fs";
import path from "node:path";
import { bridgeUrl, expect, test } from "./fixtures";
import { trpcMutation, trpcQuery } from "./trpc";

const PLAN = `# Nightly

- [ ] first task
- [ ] second task
- [ ] third task
- [ ] fourth task
`;

test("owner shares a running Auto Run view-only: a teammate watches it advance, with no Pause or Stop", async ({
  pairedPage: owner,
  projectDir,
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const agentName = `Run share ${testInfo.project.name} ${Date.now()}`;
  const label = `Lee (${testInfo.project.name})`;
  const agent = await trpcMutation<{ id: string }>(owner.request, "agents.create", { name: agentName, folder: projectDir });
  // Slow tasks, so the teammate sees the run while it is still going.
  await trpcMutation(owner.request, "agents.updateSettings", {
    id: agent.id,
    settings: { env: { MAESTRO_SIM_FAULT: "slow", MAESTRO_SIM_DELAY_MS: "400" } },
  });
  const docFile = path.join(projectDir, ".maestro", "playbooks", "nightly.md");
  fs.mkdirSync(path.dirname(docFile), { recursive: true });
  fs.writeFileSync(docFile, PLAN);
  const runName = `Nightly ${testInfo.project.name} ${Date.now() % 100000}`;
  const run = await trpcMutation<{ id: string }>(owner.request, "autorun.start", {
    agentId: agent.id,
    config: { documents: [{ filename: "nightly.md" }] },
    name: runName,
  });

  // The owner shares it from the run page.
  await owner.goto(`/autorun/runs/${run.id}`);
  await expect(owner.getByRole("region", { name: "Run progress" }).getByTestId("run-status")).toHaveText("Running");
  await owner.getByRole("button", { name: "Share", exact: true }).click();
  const sheet = owner.getByRole("dialog", { name: `Share the run “${runName}”` });
  await expect(sheet.getByRole("radio", { name: /View only/ })).toBeChecked();
  await expect(sheet.getByText("Also pause, resume and stop this run.")).toBeVisible();
  await sheet.getByLabel("Label").fill(label);
  await sheet.getByRole("button", { name: "Create link" }).click();
  const link = (await sheet.getByLabel("Share link").textContent())!.trim();
  expect(link).toMatch(/\/share#token=[A-Za-z0-9_-]{43}$/);
  await sheet.getByRole("button", { name: "Done" }).click();

  // A teammate opens it in another browser: the run's screen, a banner saying what they can do.
  const teammateContext = await browser.newContext({ baseURL: bridgeUrl(), viewport: owner.viewportSize()! });
  const teammate = await teammateContext.newPage();
  await teammate.goto(link);
  await expect(teammate).toHaveURL(new RegExp(`/shared/runs/${run.id}$`));
  await expect(teammate.getByRole("note", { name: "Shared access" })).toHaveText(
    /Auto Run shared by the owner · view only · expires in 24 hours/,
  );
  await expect(teammate.getByRole("heading", { name: runName })).toBeVisible();
  const progress = teammate.getByRole("region", { name: "Run progress" });
  await expect(progress.getByTestId("run-status")).toHaveText("Running");
  // View only: no run controls at all.
  await expect(teammate.getByRole("button", { name: /Pause|Stop|Resume|Abort|Skip document/ })).toHaveCount(0);

  // The run advances on the teammate's screen, task by task, live.
  const bar = progress.getByRole("progressbar", { name: "Tasks done" });
  await expect(bar).toHaveAttribute("aria-valuemax", "4");
  for (const k of [1, 2, 3]) await expect(progress.getByTestId("run-done-count")).toHaveText(`${k} of 4 tasks done`, { timeout: 30_000 });
  await expect(
    teammate
      .getByRole("region", { name: /Current task, live|Last tasks/ })
      .getByText(/Ticked task/)
      .first(),
  ).toBeVisible();
  await expect(progress.getByTestId("run-status")).toHaveText("Done", { timeout: 30_000 });
  await expect(teammate.getByTestId("task-log").getByRole("listitem")).toHaveCount(4);

  // Nothing else is theirs: the agent's screen and owner pages send them back to the run.
  await teammate.goto(`/shared/agents/${agent.id}`);
  await expect(teammate).toHaveURL(new RegExp(`/shared/runs/${run.id}$`));
  await teammate.goto(`/autorun/runs/${run.id}`);
  await expect(teammate).toHaveURL(new RegExp(`/shared/runs/${run.id}$`));
  const pause = await teammate.request.post("/api/trpc/autorun.pause", {
    headers: { origin: new URL(link).origin, "content-type": "application/json" },
    data: { json: { id: run.id } },
  });
  expect(pause.status()).toBe(403);

  // The owner's History of the run shows the teammate opening the link.
  const history = await trpcQuery<{ kind: string; summary: string }[]>(owner.request, "autorun.history", { runId: run.id });
  expect(history.filter((h) => h.kind === "share-use").map((h) => h.summary)).toEqual([
    `${label} opened the Auto Run “${runName}” of ${agentName} (view only)`,
  ]);
  await teammateContext.close();
});
