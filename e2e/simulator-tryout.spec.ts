import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { trpcMutation } from "./trpc";

test.describe("Simulator try-out", () => {
  test("a new user with no AI CLI plans a todo app, writes hello.txt and saves a checklist for Auto Run", async ({
    pairedPage: page,
    projectDir,
  }) => {
    const agent = await trpcMutation<{ id: string }>(page.request, "agents.create", { name: `Try ${Date.now()}`, folder: projectDir });
    await page.goto(`/agents/${agent.id}`);

    // The empty conversation says in one line what the simulator does, without overflowing.
    const line = page.getByText(/^Simulator: it plans checklists/);
    await expect(line).toBeVisible();
    const box = (await line.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(page.viewportSize()!.width);

    const message = page.getByRole("textbox", { name: "Message" });
    const send = page.getByRole("button", { name: "Send" });
    const lastReply = () => page.getByRole("article", { name: "Assistant reply" }).last();

    // An example fills the composer; the reply is a checklist.
    await page.getByRole("button", { name: "Plan a todo app", exact: true }).click();
    await expect(message).toHaveValue("Plan a todo app");
    await send.click();
    await expect(lastReply()).toContainText("A 4-task plan for “a todo app”");
    await expect(lastReply().getByRole("checkbox")).toHaveCount(4);
    await expect(lastReply()).toContainText("Create a file named todo-app/goal.md containing Goal: a todo app");

    await message.fill("Write a file named hello.txt containing hi");
    await send.click();
    await expect(lastReply()).toContainText("Created hello.txt (3 bytes) containing “hi”.");
    expect(fs.readFileSync(path.join(projectDir, "hello.txt"), "utf8")).toBe("hi\n");

    await message.fill("Plan a todo app in the Auto Run folder");
    await send.click();
    await expect(lastReply()).toContainText("Saved a 4-task checklist for “a todo app” to .maestro/playbooks/todo-app.md");
    expect(fs.readFileSync(path.join(projectDir, ".maestro", "playbooks", "todo-app.md"), "utf8")).toMatch(
      /^# Plan: a todo app\n\n- \[ \] /,
    );
  });
});
