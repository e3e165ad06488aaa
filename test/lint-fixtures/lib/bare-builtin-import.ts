// REJECT: lib/ imports no Node built-ins, with or without the node: prefix.
import path from "path";

export const base = (file: string) => path.basename(file);
