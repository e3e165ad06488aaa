// ACCEPT: a type from server/ vanishes at build.
import type { Bus } from "../../../server/events/bus";

export function BusName({ bus }: { bus: Bus | null }) {
  return <pre>{bus ? "bus" : "none"}</pre>;
}
