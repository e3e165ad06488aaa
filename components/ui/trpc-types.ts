import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/routers/_app";

export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type Agent = RouterOutputs["agents"]["list"][number];
export type Group = RouterOutputs["groups"]["list"][number];
export type DetectedProvider = RouterOutputs["providers"]["detect"][number];
export type Device = RouterOutputs["devices"]["list"][number];
