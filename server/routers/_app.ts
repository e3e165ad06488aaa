import { router } from "../trpc";
import { agentsRouter } from "./agents";
import { approvalsRouter } from "./approvals";
import { devicesRouter } from "./devices";
import { documentsRouter } from "./documents";
import { groupsRouter } from "./groups";
import { historyRouter } from "./history";
import { providersRouter } from "./providers";
import { pushRouter } from "./push";
import { systemRouter } from "./system";
import { composerRouter } from "./composer";
import { sessionsRouter } from "./sessions";
import { shareRouter } from "./share";
import { tabsRouter } from "./tabs";
import { terminalsRouter } from "./terminals";
import { turnsRouter } from "./turns";
import { autorunRouter } from "./autorun";
import { playbooksRouter } from "./playbooks";
import { exchangeRouter } from "./exchange";
import { tunnelRouter } from "./tunnel";
import { worktreesRouter } from "./worktrees";
import { finishRouter } from "./finish";
import { worktreeCleanupRouter } from "./worktree-cleanup";
import { gitRouter } from "./git";
import { diffsRouter } from "./diffs";
import { groupchatRouter } from "./groupchat";
import { missionsRouter } from "./missions";
import { handoffsRouter, memoryRouter } from "./handoffs";

export const appRouter = router({
  system: systemRouter,
  agents: agentsRouter,
  groups: groupsRouter,
  devices: devicesRouter,
  providers: providersRouter,
  tabs: tabsRouter,
  turns: turnsRouter,
  composer: composerRouter,
  sessions: sessionsRouter,
  history: historyRouter,
  share: shareRouter,
  autorun: autorunRouter,
  playbooks: playbooksRouter,
  exchange: exchangeRouter,
  documents: documentsRouter,
  push: pushRouter,
  terminals: terminalsRouter,
  tunnel: tunnelRouter,
  worktrees: worktreesRouter,
  finish: finishRouter,
  worktreeCleanup: worktreeCleanupRouter,
  git: gitRouter,
  diffs: diffsRouter,
  approvals: approvalsRouter,
  groupchat: groupchatRouter,
  missions: missionsRouter,
  handoffs: handoffsRouter,
  memory: memoryRouter,
});

export type AppRouter = typeof appRouter;
