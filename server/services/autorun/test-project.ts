import fs from "node:fs";
import path from "node:path";
import type { Services } from "../index";
import { tempDir } from "../../testing/harness";

/**
 * For tests: a simulator agent on a fresh project whose Auto Run folder holds `docs`. The project
 * folder is pushed onto `dirs` for the test to remove.
 */
export async function autorunProject(services: Services, dirs: string[], docs: Record<string, string>, label = "runner") {
  const project = tempDir(`maestro-${label}-project-`);
  dirs.push(project);
  const folder = path.join(project, ".maestro", "playbooks");
  fs.mkdirSync(folder, { recursive: true });
  for (const [name, text] of Object.entries(docs)) fs.writeFileSync(path.join(folder, name), text);
  const agent = await services.agents.create({
    name: `${label} ${Math.random().toString(36).slice(2, 7)}`,
    folder: project,
    provider: "simulator",
  });
  const file = (name: string) => path.join(folder, name);
  return { agent, folder, file, doc: (name: string) => fs.readFileSync(file(name), "utf8") };
}
