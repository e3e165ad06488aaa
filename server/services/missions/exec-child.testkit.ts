// Test-only: a real process running the service graph (as the bridge builds it) on a data dir,
// for the kill -9 test: it creates the given mission plan for a project folder, approves it, says
// so on stdout, then lets the mission run until it is killed.
import { openDatabase } from "../../db";
import { readServicesEnv } from "../../env";
import { silentLogger } from "../../logger";
import { createServices } from "..";

const [dataDir, folder, planJson] = process.argv.slice(2);
const db = openDatabase(dataDir!);
const services = createServices(db, { dataDir: dataDir!, env: readServicesEnv(), logger: silentLogger });
const agent = await services.agents.create({ name: "Restart project", folder: folder!, provider: "simulator" });
const { id } = await services.missions.create({ agentId: agent.id, plan: planJson!, concurrency: 2, finishMode: "merge" });
await services.missions.approve(id);
process.stdout.write(`${JSON.stringify({ missionId: id })}\n`);
setInterval(() => {}, 60_000);
