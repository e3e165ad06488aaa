import Link from "next/link";
import { buttonClass } from "../ui/button";
import { IconGitBranch } from "../ui/icons";
import { SettingsSection } from "./settings-section";

/** Settings' way to the worktree cleanup screen. */
export function SettingsWorktrees() {
  return (
    <SettingsSection
      id="git-worktrees"
      title="Git worktrees"
      description="Find worktrees whose branch is merged or gone, whose folder is missing, or that nobody touched for a while, and remove them in one go."
    >
      <Link href="/settings/worktrees" className={buttonClass("secondary", "md")}>
        <IconGitBranch className="size-4" />
        Worktrees cleanup
      </Link>
    </SettingsSection>
  );
}
