// REJECT: app/ imports server/ only as types.
import { createBus } from "@/server/events/bus";

export default function Page() {
  return <pre>{typeof createBus}</pre>;
}
