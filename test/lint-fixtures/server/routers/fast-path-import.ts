// REJECT: routers never reach the fast SQLite path.
import { sqlDate } from "../../../../server/sqlite-fast";

export const now = () => sqlDate();
