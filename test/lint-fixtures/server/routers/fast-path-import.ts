// REJECT: routers never reach the fast SQLite path.
import { sqlDate } from "../../../../server/db/fast/connection";

export const now = () => sqlDate();
