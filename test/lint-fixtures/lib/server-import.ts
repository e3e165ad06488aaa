// REJECT: lib/ imports nothing from server/ at run time.
import { createBus } from "../../../server/events/bus";

export const bus = createBus();
