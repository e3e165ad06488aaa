// REJECT: routers never reach the fast SQLite path's module either.
import { openFastDb } from "../../../../server/db/fast";

export const open = (file: string) => openFastDb(file);
