import { tracked } from "@trpc/server";
import {
  checkpointRestoreInput,
  checkpointSaveInput,
  createMissionInput,
  featureRefInput,
  importDiskInput,
  listMissionsInput,
  milestoneRefInput,
  missionEventsInput,
  missionIdInput,
  missionLogInput,
  reassignFeatureInput,
  setAssertionInput,
  updateFeatureInput,
  updateMissionInput,
} from "../../lib/schemas/missions";
import { LIVE_QUEUE_CAP, resumable } from "../events/resumable";
import { protectedProcedure, router } from "../trpc";

/**
 * Missions: plans of milestones and features run across agents (server/services/missions does
 * the work). Owner only: no share link reaches a mission.
 */
export const missionsRouter = router({
  list: protectedProcedure.input(listMissionsInput).query(({ ctx, input }) => ctx.services.missions.list(input ?? {})),
  get: protectedProcedure.input(missionIdInput).query(({ ctx, input }) => ctx.services.missions.get(input.missionId)),
  create: protectedProcedure.input(createMissionInput).mutation(({ ctx, input }) => ctx.services.missions.create(input)),
  update: protectedProcedure.input(updateMissionInput).mutation(({ ctx, input }) => ctx.services.missions.update(input)),
  remove: protectedProcedure.input(missionIdInput).mutation(({ ctx, input }) => ctx.services.missions.remove(input.missionId)),
  approve: protectedProcedure.input(missionIdInput).mutation(({ ctx, input }) => ctx.services.missions.approve(input.missionId)),
  pause: protectedProcedure.input(missionIdInput).mutation(({ ctx, input }) => ctx.services.missions.pause(input.missionId)),
  resume: protectedProcedure.input(missionIdInput).mutation(({ ctx, input }) => ctx.services.missions.resume(input.missionId)),

  retryFeature: protectedProcedure.input(featureRefInput).mutation(({ ctx, input }) => ctx.services.missions.retryFeature(input)),
  skipFeature: protectedProcedure.input(featureRefInput).mutation(({ ctx, input }) => ctx.services.missions.skipFeature(input)),
  reassignFeature: protectedProcedure
    .input(reassignFeatureInput)
    .mutation(({ ctx, input }) => ctx.services.missions.reassignFeature(input)),
  updateFeature: protectedProcedure.input(updateFeatureInput).mutation(({ ctx, input }) => ctx.services.missions.updateFeature(input)),
  featurePrompt: protectedProcedure.input(featureRefInput).query(({ ctx, input }) => ctx.services.missions.featurePrompt(input)),

  setAssertion: protectedProcedure.input(setAssertionInput).mutation(({ ctx, input }) => ctx.services.missions.setAssertion(input)),
  sealMilestone: protectedProcedure.input(milestoneRefInput).mutation(({ ctx, input }) => ctx.services.missions.sealMilestone(input)),

  checkpoints: protectedProcedure.input(missionIdInput).query(({ ctx, input }) => ctx.services.missions.checkpoints(input.missionId)),
  saveCheckpoint: protectedProcedure.input(checkpointSaveInput).mutation(({ ctx, input }) => ctx.services.missions.saveCheckpoint(input)),
  restoreCheckpoint: protectedProcedure
    .input(checkpointRestoreInput)
    .mutation(({ ctx, input }) => ctx.services.missions.restoreCheckpoint(input)),

  importDisk: protectedProcedure.input(importDiskInput).mutation(({ ctx, input }) => ctx.services.missions.importDisk(input)),
  missionControl: protectedProcedure.input(listMissionsInput).query(({ ctx, input }) => ctx.services.missions.missionControl(input ?? {})),
  log: protectedProcedure.input(missionLogInput).query(({ ctx, input }) => ctx.services.missions.log(input)),

  /** A mission's activity log (or every mission's), resumable like a tab's stream: backlog after `lastEventId`, then live. */
  onEvent: protectedProcedure.input(missionEventsInput).subscription(async function* ({ ctx, input, signal }) {
    const { bus, missions } = ctx.services;
    const after = input.lastEventId ? Number(input.lastEventId) || 0 : 0;
    const stream = resumable({
      live: bus.stream("missions.events", {
        signal,
        filter: (e) => !input.missionId || e.missionId === input.missionId,
        maxQueued: LIVE_QUEUE_CAP,
      }),
      itemsOf: (e) => e.entries,
      backlog: (from) => missions.pagesAfter(input.missionId, from),
      id: (e) => e.id,
      after,
      markCaughtUp: true,
    });
    for await (const { items, last } of stream) yield tracked(String(last), items);
  }),

  /** "Something changed" for lists and views (first message: listening). */
  onChange: protectedProcedure.subscription(async function* ({ ctx, signal }) {
    const changes = ctx.services.bus.stream("missions.changed", { signal });
    yield { missionId: null as string | null };
    for await (const change of changes) yield { missionId: change.missionId };
  }),
});
