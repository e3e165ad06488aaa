import { assertionKeyOf } from "../../../lib/missions/ids";
import type { SetAssertionInput } from "../../../lib/schemas/missions";
import { AppError } from "../../errors";
import type { MissionCtx } from "./store";
import { stringList } from "./views";

const SETTLED = new Set(["done", "skipped"]);
const OK = new Set(["passed", "waived"]);

export function createAssertions(ctx: MissionCtx, deps: { checkpoint: (missionId: string, label: string) => Promise<unknown> }) {
  const { db, store } = ctx;

  async function missionStatus(missionId: string) {
    const m = await db.mission.findUnique({ where: { id: missionId }, select: { status: true } });
    if (!m) throw new AppError("NOT_FOUND", "That mission no longer exists.");
    return m.status;
  }

  /** `validate update`: the key is the `fulfills` string or the reference's `<feature>-assertion-<n>`. */
  async function setAssertion(input: SetAssertionInput): Promise<void> {
    const status = await missionStatus(input.missionId);
    const evidence = input.evidence?.trim() ?? "";
    if (input.status === "waived" && !evidence)
      throw new AppError("BAD_INPUT", "Waiving an assertion needs a reason: write it as the evidence.", { field: "evidence" });
    const by = input.by?.trim() || "user";
    let key = input.key;
    await store.commit(
      input.missionId,
      async (tx) => {
        const features = await tx.missionFeature.findMany({
          where: { missionId: input.missionId },
          select: { key: true, fulfillsJson: true },
        });
        key =
          assertionKeyOf(
            features.map((f) => ({ key: f.key, fulfills: stringList(f.fulfillsJson) })),
            input.key,
          ) ?? input.key;
        const row = await tx.missionAssertion.findUnique({ where: { missionId_key: { missionId: input.missionId, key } } });
        if (!row) {
          const keys = await tx.missionAssertion.findMany({ where: { missionId: input.missionId }, select: { key: true } });
          throw new AppError("BAD_INPUT", `No assertion "${input.key}" in this mission.`, {
            hint: keys.length ? `Its assertions: ${keys.map((k) => k.key).join(", ")}.` : "This mission has no assertions.",
          });
        }
        await tx.missionAssertion.update({ where: { id: row.id }, data: { status: input.status, evidence, setBy: by } });
      },
      [{ type: "assertion", text: `Assertion ${input.key}: ${input.status} (by ${by})${evidence ? `: ${firstLine(evidence)}` : ""}.` }],
    );
    if (status === "executing") ctx.executor().kick(input.missionId);
  }

  /**
   * `milestone seal`: a validation milestone waiting in review (its still-pending assertions pass
   * with the seal), or a work milestone whose features are done or skipped and whose assertions
   * passed or were waived. A checkpoint is taken first; the executor then moves on.
   */
  async function sealMilestone(input: { missionId: string; milestoneKey: string; by?: string }): Promise<void> {
    const status = await missionStatus(input.missionId);
    if (status === "completed") throw new AppError("CONFLICT", "This mission is completed: its milestones are sealed.");
    if (status === "draft") throw new AppError("CONFLICT", "Approve the mission first: a draft's milestones do not seal.");
    const by = input.by?.trim() || "user";
    const key = input.milestoneKey;
    // Checked before the checkpoint (no checkpoint for a seal that is refused), and again in the seal's transaction.
    const problem = await sealProblem(input.missionId, key);
    if (problem) throw problem;
    await deps.checkpoint(input.missionId, `Before sealing ${key}`);
    await store.commit(
      input.missionId,
      async (tx) => {
        const again = await sealProblem(input.missionId, key, tx);
        if (again) throw again;
        const ms = await tx.missionMilestone.findUniqueOrThrow({ where: { missionId_key: { missionId: input.missionId, key } } });
        if (ms.kind === "validation") {
          const keys = await fulfilledBy(input.missionId, key, tx);
          await tx.missionAssertion.updateMany({
            where: { missionId: input.missionId, key: { in: keys }, status: { in: ["pending", "blocked"] } },
            data: { status: "passed", evidence: `Validated: milestone ${key} sealed by ${by}.`, setBy: by },
          });
        }
        await tx.missionMilestone.update({ where: { id: ms.id }, data: { status: "sealed", sealedAt: ctx.now(), sealedBy: by } });
      },
      [{ type: "milestone-sealed", text: `Milestone ${key} sealed by ${by}.`, milestoneKey: key }],
    );
    ctx.executor().kick(input.missionId);
  }

  type Reader = Pick<MissionCtx["db"], "missionMilestone" | "missionFeature" | "missionAssertion">;

  async function fulfilledBy(missionId: string, milestoneKey: string, tx: Reader, onlyDone = false): Promise<string[]> {
    const features = await tx.missionFeature.findMany({ where: { missionId, milestoneKey }, select: { status: true, fulfillsJson: true } });
    return [...new Set(features.filter((f) => !onlyDone || f.status === "done").flatMap((f) => stringList(f.fulfillsJson)))];
  }

  /** Why this milestone may not seal now (CONFLICT, one actionable line), or null. */
  async function sealProblem(missionId: string, key: string, tx: Reader = db): Promise<AppError | null> {
    const ms = await tx.missionMilestone.findUnique({ where: { missionId_key: { missionId, key } } });
    if (!ms) return new AppError("NOT_FOUND", `No milestone "${key}" in this mission.`);
    if (ms.status === "sealed") return new AppError("CONFLICT", `Milestone ${key} is already sealed.`);
    const features = await tx.missionFeature.findMany({ where: { missionId, milestoneKey: key }, select: { key: true, status: true } });
    const open = features.filter((f) => !SETTLED.has(f.status));
    if (ms.kind === "validation" && ms.status !== "review")
      return new AppError(
        "CONFLICT",
        open.length
          ? `Milestone ${key} is not ready for review: ${open.length} of its features are not done (${open.map((f) => f.key).join(", ")}).`
          : `Milestone ${key} is not ready for review yet: the milestones before it must seal first.`,
      );
    if (open.length)
      return new AppError("CONFLICT", `Milestone ${key} cannot seal: ${open.map((f) => `${f.key} is ${f.status}`).join(", ")}.`);
    const keys = await fulfilledBy(missionId, key, tx, ms.kind !== "validation");
    const rows = await tx.missionAssertion.findMany({ where: { missionId, key: { in: keys } }, select: { key: true, status: true } });
    const failed = rows.find((a) => a.status === "failed");
    if (failed) return new AppError("CONFLICT", `Assertion ${failed.key} failed: set it passed or waive it before sealing ${key}.`);
    const notYet = ms.kind === "validation" ? undefined : rows.find((a) => !OK.has(a.status));
    if (notYet) return new AppError("CONFLICT", `Assertion ${notYet.key} is ${notYet.status}: pass or waive it before sealing ${key}.`);
    return null;
  }

  return { setAssertion, sealMilestone };
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
