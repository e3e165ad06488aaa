// REJECT: the UI imports server/ only as types.
import { createBus } from "../../../server/events/bus";

export function Bus() {
  return <pre>{typeof createBus}</pre>;
}
