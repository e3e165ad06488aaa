// ACCEPT: pure code, and the router's type for the tRPC client.
import type { AppRouter } from "../../../server/routers/_app";
import { parseChecklist } from "../../../lib/autorun/checklist";

export type Router = AppRouter;
export const count = (text: string) => parseChecklist(text).tasks.length;
