"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useEffect, useMemo, useState } from "react";
import { useTRPC } from "@/lib/trpc/client";
import { AgentAvatar, providerLabel } from "./agent-card";
import { StatusBadge } from "./agent-status";
import { useIsWorktreeAgent } from "./use-is-worktree-agent";
import {
  IconArrowLeft,
  IconAutoRun,
  IconGitBranch,
  IconInfo,
  IconMore,
  IconPencil,
  IconSettings,
  IconShare,
  IconStar,
  IconTrash,
} from "../ui/icons";
import { useRegisterPageCommands, type PageCommand } from "../conversation/page-commands";
import { useMedia } from "../history/use-media";
import { LazyShareSheet } from "../share/lazy-share-sheet";
import type { Agent } from "../ui/trpc-types";
import { cn } from "../ui/cn";
import { MenuButton } from "../ui/menu";
import { TruncatedPath } from "../ui/truncated-path";
import { useBookmark } from "./use-agent-actions";
import { GitChip } from "./git-chip";
import { useGitStatus } from "./use-git-status";

// What the header opens on a tap (rename, details, settings, worktrees, delete) loads then, and
// is prefetched once the page is idle: none of it is on screen when the conversation opens.
const loadRename = () => import("./agent-rename");
const loadDetails = () => import("./agent-details-sheet");
const loadManage = () => import("./agent-manage");
const loadSettings = () => import("./agent-settings-dialog");
const loadWorktree = () => import("./worktree-dialog");
const loadRemoveWorktree = () => import("./worktree-remove");
const AgentRenameForm = dynamic(() => loadRename().then((m) => m.AgentRenameForm), {
  ssr: false,
  // The name's two lines keep their height while the form arrives.
  loading: () => <div className="h-11" />,
});
const AgentDetailsSheet = dynamic(() => loadDetails().then((m) => m.AgentDetailsSheet), { ssr: false });
const DeleteAgentDialog = dynamic(() => loadManage().then((m) => m.DeleteAgentDialog), { ssr: false });
const AgentSettingsDialog = dynamic(() => loadSettings().then((m) => m.AgentSettingsDialog), { ssr: false });
const WorktreeDialog = dynamic(() => loadWorktree().then((m) => m.WorktreeDialog), { ssr: false });
const RemoveWorktreeDialog = dynamic(() => loadRemoveWorktree().then((m) => m.RemoveWorktreeDialog), { ssr: false });

/** True from the first time `value` is true on: a dialog mounts when first opened and stays for its closing. */
function useOpenedOnce(value: boolean): boolean {
  const [opened, setOpened] = useState(value);
  if (value && !opened) setOpened(true);
  return opened || value;
}

const iconButton =
  "inline-flex size-11 shrink-0 items-center justify-center rounded-xl text-muted transition-colors hover:bg-surface-2 hover:text-text lg:size-9 lg:rounded-lg";

/**
 * The agent page's compact header: back, name, status, provider and folder, the bookmark star,
 * and "Agent actions" (rename, details, move, delete), so the conversation below gets the room.
 */
export function AgentHeader({ agent, home }: { agent: Agent; home?: string | null }) {
  const [renaming, setRenaming] = useState(false);
  const [details, setDetails] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [settings, setSettings] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [worktree, setWorktree] = useState(false);
  const [removingWorktree, setRemovingWorktree] = useState(false);
  const trpc = useTRPC();
  // Whether "New worktree agent" applies: the folder is in a git work tree (asks git once a minute at most).
  const repo = useQuery({ ...trpc.worktrees.info.queryOptions({ agentId: agent.id }), staleTime: 60_000 });
  const isWorktree = useIsWorktreeAgent(agent, !!repo.data?.isRepo);
  const bookmark = useBookmark();
  const git = useGitStatus(agent.id);
  const toggleBookmark = () => bookmark.mutate({ id: agent.id, bookmarked: !agent.bookmarked });
  const router = useRouter();
  const autoRunHref = `/autorun?agent=${encodeURIComponent(agent.id)}`;
  // On the phone the star moves into "Agent actions", so the agent's name keeps the room.
  const wide = useMedia("(min-width: 640px)");
  const bookmarkLabel = agent.bookmarked ? "Remove bookmark" : "Bookmark";
  const deleteMounted = useOpenedOnce(deleting);
  const settingsMounted = useOpenedOnce(settings);

  useEffect(() => {
    const prefetch = () =>
      void Promise.all([loadRename(), loadDetails(), loadManage(), loadSettings(), loadWorktree(), loadRemoveWorktree()]).catch(() => {});
    const t = window.setTimeout(prefetch, 2000);
    return () => window.clearTimeout(t);
  }, []);

  // The header's actions in the command palette too (every action is reachable from the keyboard).
  const commands = useMemo<PageCommand[]>(
    () => [
      {
        id: "agent-autorun",
        label: "Auto Run for this agent",
        keywords: "checklists documents playbooks",
        icon: IconAutoRun,
        run: () => router.push(autoRunHref),
      },
      { id: "agent-share", label: "Share this agent", keywords: "link teammate invite", icon: IconShare, run: () => setSharing(true) },
      { id: "agent-bookmark", label: bookmarkLabel, keywords: "star favourite favorite pin", icon: IconStar, run: toggleBookmark },
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the commands read the latest handlers when run; they change only with these
    [autoRunHref, bookmarkLabel, agent.id],
  );
  useRegisterPageCommands(commands);

  return (
    <header className="shrink-0 border-b border-border bg-surface px-2 pt-[max(0.5rem,env(safe-area-inset-top))] pb-2 sm:px-4 lg:px-6 lg:py-3">
      <div className="flex items-center gap-1.5 sm:gap-2.5">
        <Link href="/" aria-label="Back to agents" title="Back to agents" className={cn(iconButton, "lg:hidden")}>
          <IconArrowLeft className="size-5" />
        </Link>
        <AgentAvatar agent={agent} className="size-10 text-sm max-sm:hidden" />
        <div className="min-w-0 flex-1">
          {renaming ? (
            <AgentRenameForm agent={agent} onDone={() => setRenaming(false)} />
          ) : (
            <>
              <h1 className="truncate text-[17px] leading-6 font-semibold tracking-tight lg:text-lg">{agent.name}</h1>
              <div className="flex min-w-0 items-center gap-x-2 overflow-hidden text-[13px] text-muted">
                <StatusBadge status={agent.status} className="shrink-0 py-0 text-xs" />
                {/* On the phone the git chip takes the provider's place (the conversation names it). */}
                <span className={cn("min-w-0 truncate font-medium sm:shrink-0", git.data && "max-sm:hidden")}>
                  {providerLabel(agent.provider)}
                </span>
                <span aria-hidden="true" className="max-sm:hidden">
                  ·
                </span>
                <TruncatedPath path={agent.folder} home={home} className="min-w-0 text-[12.5px] max-sm:hidden" />
                <GitChip status={git.data} compact className="shrink-0 max-sm:min-w-0 max-sm:shrink" />
              </div>
            </>
          )}
        </div>
        {!renaming && (
          <div className="flex shrink-0 items-center">
            <Link
              href={autoRunHref}
              aria-label={`Auto Run for ${agent.name}`}
              title="Auto Run: this agent's checklists"
              className={iconButton}
            >
              <IconAutoRun className="size-5" />
            </Link>
            <button
              type="button"
              aria-label="Bookmark"
              aria-pressed={agent.bookmarked}
              title={bookmarkLabel}
              onClick={toggleBookmark}
              className={cn(iconButton, "max-sm:hidden", agent.bookmarked && "text-busy hover:text-busy")}
            >
              <IconStar filled={agent.bookmarked} className="size-5" />
            </button>
            <button type="button" aria-label="Share" title="Share with a teammate" onClick={() => setSharing(true)} className={iconButton}>
              <IconShare className="size-5" />
            </button>
            <MenuButton
              label="Agent actions"
              className={iconButton}
              items={[
                ...(wide
                  ? []
                  : [{ label: bookmarkLabel, icon: <IconStar filled={agent.bookmarked} className="size-4" />, onSelect: toggleBookmark }]),
                { label: "Rename agent", icon: <IconPencil className="size-4" />, onSelect: () => setRenaming(true) },
                { label: "Details", icon: <IconInfo className="size-4" />, onSelect: () => setDetails(true) },
                { label: "Settings", icon: <IconSettings className="size-4" />, onSelect: () => setSettings(true) },
                ...(repo.data?.isRepo
                  ? [{ label: "New worktree agent", icon: <IconGitBranch className="size-4" />, onSelect: () => setWorktree(true) }]
                  : []),
                ...(isWorktree
                  ? [
                      {
                        label: "Remove worktree",
                        icon: <IconTrash className="size-4" />,
                        destructive: true,
                        onSelect: () => setRemovingWorktree(true),
                      },
                    ]
                  : []),
                { label: "Delete agent", icon: <IconTrash className="size-4" />, destructive: true, onSelect: () => setDeleting(true) },
              ]}
            >
              <IconMore className="size-5" />
            </MenuButton>
          </div>
        )}
      </div>
      {details && <AgentDetailsSheet agent={agent} onClose={() => setDetails(false)} />}
      {deleteMounted && <DeleteAgentDialog agent={agent} open={deleting} onClose={() => setDeleting(false)} />}
      {settingsMounted && <AgentSettingsDialog agent={agent} open={settings} onClose={() => setSettings(false)} />}
      {worktree && <WorktreeDialog agent={agent} onClose={() => setWorktree(false)} />}
      {removingWorktree && <RemoveWorktreeDialog agent={agent} open onClose={() => setRemovingWorktree(false)} />}
      {sharing && (
        <LazyShareSheet target={{ scope: "agent", agentId: agent.id, agentName: agent.name }} open onClose={() => setSharing(false)} />
      )}
    </header>
  );
}
