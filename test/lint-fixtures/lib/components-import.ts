// REJECT: lib/ imports no components.
import { cn } from "../../../components/ui/cn";

export const classes = cn("a", "b");
