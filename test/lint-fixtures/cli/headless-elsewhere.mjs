// REJECT: only cli/headless.mjs may reach the server, not a command module beside it.
import { openHeadless } from "../../../server/headless.ts";

export const open = openHeadless;
