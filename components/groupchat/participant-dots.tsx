import { participantColor } from "./chat-meta";
import { cn } from "../ui/cn";

/** Participants as coloured dots with their names for screen readers (and as a tooltip). */
export function ParticipantDots({
  participants,
  working = [],
  className,
}: {
  participants: readonly { agentId: string; name: string; colorIndex: number }[];
  working?: readonly string[];
  className?: string;
}) {
  if (participants.length === 0) return null;
  return (
    <span
      className={cn("inline-flex items-center -space-x-1", className)}
      role="img"
      aria-label={participants.map((p) => p.name).join(", ")}
    >
      {participants.map((p) => (
        <span
          key={p.agentId}
          title={p.name}
          className={cn(
            "relative inline-flex size-3 rounded-full ring-2 ring-surface",
            working.includes(p.agentId) && "motion-safe:animate-pulse",
          )}
          style={{ backgroundColor: participantColor(p.colorIndex) }}
        />
      ))}
    </span>
  );
}
