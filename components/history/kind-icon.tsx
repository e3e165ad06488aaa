import type { HistoryKind } from "@/lib/history/kinds";
import { IconMission } from "../missions/icons";
import { Svg, type IconProps } from "../ui/icons";

const IconTurn = (p: IconProps) => (
  <Svg {...p}>
    <path d="M20 14.5a2.5 2.5 0 0 1-2.5 2.5H8l-4 3.5V6.5A2.5 2.5 0 0 1 6.5 4h11A2.5 2.5 0 0 1 20 6.5z" />
  </Svg>
);
const IconTask = (p: IconProps) => (
  <Svg {...p}>
    <rect x="3.5" y="3.5" width="17" height="17" rx="3.5" />
    <path d="m8 12.5 2.8 2.8L16.5 9" />
  </Svg>
);
const IconLoop = (p: IconProps) => (
  <Svg {...p}>
    <path d="M17 2.5 20.5 6 17 9.5" />
    <path d="M3.5 11.5V10a4 4 0 0 1 4-4h13M7 21.5 3.5 18 7 14.5" />
    <path d="M20.5 12.5V14a4 4 0 0 1-4 4h-13" />
  </Svg>
);
const IconFlag = (p: IconProps) => (
  <Svg {...p}>
    <path d="M5 21V4M5 4h11l-2 4 2 4H5" />
  </Svg>
);
const IconLink = (p: IconProps) => (
  <Svg {...p}>
    <path d="M10 13.5a4.5 4.5 0 0 0 6.4.5l3-3a4.5 4.5 0 0 0-6.4-6.4l-1.5 1.5" />
    <path d="M14 10.5a4.5 4.5 0 0 0-6.4-.5l-3 3a4.5 4.5 0 0 0 6.4 6.4l1.5-1.5" />
  </Svg>
);
const IconPullRequest = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="6" cy="6" r="2.5" />
    <circle cx="6" cy="18" r="2.5" />
    <circle cx="18" cy="18" r="2.5" />
    <path d="M6 8.5v7M18 15.5V9a3 3 0 0 0-3-3h-4m2.5-2.5L11 6l2.5 2.5" />
  </Svg>
);

const IconGroupChat = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 5h11a2 2 0 0 1 2 2v5a2 2 0 0 1-2 2H9l-4 3v-3H4a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2z" />
    <path d="M17 9h3a2 2 0 0 1 2 2v5a2 2 0 0 1-2 2h-1v3l-4-3h-4" />
  </Svg>
);

// A feature: one piece of a mission's plan, done in its own worktree.
const IconMissionFeature = (p: IconProps) => (
  <Svg {...p}>
    <path d="M12 3 20 7.5v9L12 21l-8-4.5v-9z" />
    <path d="m4 7.5 8 4.5 8-4.5M12 12v9" />
  </Svg>
);

const ICONS: Record<HistoryKind, (p: IconProps) => React.ReactElement> = {
  turn: IconTurn,
  "autorun-task": IconTask,
  "autorun-loop": IconLoop,
  "autorun-run": IconFlag,
  "git-pr": IconPullRequest,
  "share-use": IconLink,
  // Until approvals get an icon of their own, a decision reads as a flag on the timeline.
  approval: IconFlag,
  "groupchat-delegation": IconGroupChat,
  "groupchat-response": IconGroupChat,
  "groupchat-synthesis": IconGroupChat,
  mission: IconMission,
  "mission-feature": IconMissionFeature,
};

/** The icon of an entry's kind; unknown kinds (from a newer bridge) get the turn icon. */
export function KindIcon({ kind, className }: { kind: string; className?: string }) {
  const Icon = ICONS[kind as HistoryKind] ?? IconTurn;
  return <Icon className={className} />;
}
