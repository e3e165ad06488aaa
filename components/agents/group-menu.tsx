"use client";

import { IconChevronDown, IconChevronRight, IconMore, IconPencil, IconPlus, IconTrash } from "../ui/icons";
import { useShell } from "../shell/shell-context";
import type { Group } from "../ui/trpc-types";
import { cn } from "../ui/cn";
import { MenuButton } from "../ui/menu";
import { useGroupCollapse } from "./use-group-collapse";

/** The "⋯" menu of a group: rename, collapse/expand, add an agent to it, delete. */
export function GroupMenu({ group, className }: { group: Group; className?: string }) {
  const shell = useShell();
  const toggle = useGroupCollapse();
  return (
    <MenuButton
      label={`Group actions for ${group.name}`}
      className={cn(
        "inline-flex size-11 shrink-0 items-center justify-center rounded-xl text-muted hover:bg-surface-2 hover:text-text aria-expanded:bg-surface-2 aria-expanded:text-text",
        className,
      )}
      items={[
        {
          label: "Rename group",
          icon: <IconPencil className="size-4" />,
          onSelect: () => shell.openGroupDialog({ kind: "rename", group }),
        },
        {
          label: group.collapsed ? "Expand group" : "Collapse group",
          icon: group.collapsed ? <IconChevronDown className="size-4" /> : <IconChevronRight className="size-4" />,
          onSelect: () => toggle(group),
        },
        { label: "Add an agent here", icon: <IconPlus className="size-4" />, onSelect: () => shell.openAddAgent(group.id) },
        {
          label: "Delete group",
          icon: <IconTrash className="size-4" />,
          destructive: true,
          onSelect: () => shell.openGroupDialog({ kind: "delete", group }),
        },
      ]}
    >
      <IconMore className="size-5" />
    </MenuButton>
  );
}
