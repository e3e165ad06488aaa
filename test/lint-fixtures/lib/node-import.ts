// REJECT: lib/ imports no Node built-ins.
import fs from "node:fs";

export const exists = (file: string) => fs.existsSync(file);
