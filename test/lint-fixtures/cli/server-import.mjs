// REJECT: the CLI's start path never loads the server.
import { resolveDataDir } from "../../server/env";

export const dir = resolveDataDir();
