// ACCEPT: cli/headless.mjs is the one file of cli/ that may reach the server (it is itself loaded lazily).
import { openHeadless } from "../../../server/headless.ts";

export const open = openHeadless;
