"use client";

import { useMutation } from "@tanstack/react-query";
import type { FeatureStatus, FeatureView, MilestoneView, MissionView } from "@/lib/missions/types";
import { useTRPC } from "@/lib/trpc/client";
import { Button } from "../ui/button";
import { cn } from "../ui/cn";
import { FormError } from "../ui/field";
import { IconChevronDown } from "../ui/icons";
import { readError } from "../ui/trpc-error";
import { FeatureBar } from "./feature-bar";
import { FeatureCard } from "./feature-card";
import { IconSeal } from "./icons";
import { FEATURE_ORDER, MILESTONE_STATUS_LABEL } from "./mission-meta";

export function milestonesInOrder(view: MissionView): MilestoneView[] {
  return [...view.milestones].sort((a, b) => a.order - b.order);
}

export function countsOf(features: readonly FeatureView[]): Record<FeatureStatus, number> {
  const counts = Object.fromEntries(FEATURE_ORDER.map((s) => [s, 0])) as Record<FeatureStatus, number>;
  for (const f of features) counts[f.status] += 1;
  return counts;
}

/** The assertions a milestone's features fulfil, and how many of them are settled (passed or waived). */
export function milestoneAssertions(view: MissionView, milestoneKey: string) {
  const keys = new Set(view.features.filter((f) => f.milestoneKey === milestoneKey).flatMap((f) => f.fulfills));
  const list = view.assertions.filter((a) => keys.has(a.key));
  return { list, settled: list.filter((a) => a.status === "passed" || a.status === "waived").length };
}

/** A validation milestone waiting for a person: what it checked, and Seal. */
export function ReviewGate({ view, milestone }: { view: MissionView; milestone: MilestoneView }) {
  const trpc = useTRPC();
  const seal = useMutation(trpc.missions.sealMilestone.mutationOptions());
  const { list, settled } = milestoneAssertions(view, milestone.key);
  const err = seal.error ? readError(seal.error) : null;
  return (
    <div role="region" aria-label={`Review ${milestone.title}`} className="rounded-xl border border-wait/50 bg-wait/8 p-3.5">
      <p className="flex items-center gap-2 text-[15px] font-semibold text-wait">
        <IconSeal className="size-5" />
        Needs your review
      </p>
      <p className="mt-1 text-sm text-text/85">
        Every feature of “{milestone.title}” is done{list.length > 0 ? `; ${settled} of ${list.length} assertions passed or waived` : ""}.
        Look at the assertions and the merged work, then seal it to go on.
      </p>
      {err && (
        <FormError className="mt-2" hint={err.hint}>
          {err.message}
        </FormError>
      )}
      <Button
        variant="primary"
        className="mt-3 w-full sm:w-auto"
        disabled={seal.isPending}
        onClick={() => seal.mutate({ missionId: view.id, milestoneKey: milestone.key })}
      >
        <IconSeal className="size-5" />
        {seal.isPending ? "Sealing…" : `Seal ${milestone.title}`}
      </Button>
    </div>
  );
}

function MilestoneHead({ milestone, features }: { milestone: MilestoneView; features: FeatureView[] }) {
  return (
    <span className="flex min-w-0 flex-1 flex-col gap-1">
      <span className="flex min-w-0 items-center gap-2">
        <span className="truncate text-[15px] font-semibold">{milestone.title}</span>
        {milestone.kind === "validation" && (
          <span className="shrink-0 rounded-full border border-wait/40 px-1.5 text-[11px] leading-4 font-semibold text-wait uppercase">
            gate
          </span>
        )}
        <span
          className={cn(
            "ml-auto shrink-0 text-xs font-semibold",
            milestone.status === "review" ? "text-wait" : milestone.status === "sealed" ? "text-ok" : "text-muted",
          )}
        >
          {MILESTONE_STATUS_LABEL[milestone.status]}
        </span>
      </span>
      <FeatureBar counts={countsOf(features)} legend={false} />
    </span>
  );
}

/**
 * The board: milestones in order, each with its features (what needs a person first). A sealed
 * milestone folds to one line, so the phone shows what is still moving (a validation milestone in
 * review shows its gate in the header, where it is seen from every section).
 */
export function MissionBoard({ view, onOpenFeature }: { view: MissionView; onOpenFeature: (key: string) => void }) {
  return (
    <div className="space-y-3">
      {milestonesInOrder(view).map((m) => {
        const features = view.features
          .filter((f) => f.milestoneKey === m.key)
          .sort((a, b) => FEATURE_ORDER.indexOf(a.status) - FEATURE_ORDER.indexOf(b.status));
        const body = (
          <div className="space-y-2.5 px-3 pb-3">
            {m.description && <p className="text-sm text-muted">{m.description}</p>}
            <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-1 xl:grid-cols-2">
              {features.map((f) => (
                <FeatureCard key={f.key} feature={f} onOpen={() => onOpenFeature(f.key)} />
              ))}
            </ul>
          </div>
        );
        return (
          <section
            key={m.key}
            aria-label={`Milestone ${m.title}`}
            data-milestone={m.key}
            className={cn("rounded-2xl border bg-surface-2/40", m.status === "review" ? "border-wait/60" : "border-border")}
          >
            {m.status === "sealed" ? (
              <details className="group">
                <summary className="flex min-h-12 cursor-pointer list-none items-center gap-2 px-3 py-2.5 [&::-webkit-details-marker]:hidden">
                  <MilestoneHead milestone={m} features={features} />
                  <IconChevronDown className="size-4 shrink-0 text-muted transition-transform group-open:rotate-180" />
                </summary>
                {body}
              </details>
            ) : (
              <>
                <div className="flex min-h-12 items-center px-3 py-2.5">
                  <MilestoneHead milestone={m} features={features} />
                </div>
                {body}
              </>
            )}
          </section>
        );
      })}
    </div>
  );
}
