// Imports one module (its path is the first argument) and nothing else: cli/load-guard.test.ts
// runs it under record-loads.mjs to see what that module pulls in when it is loaded.
import { pathToFileURL } from "node:url";

await import(pathToFileURL(process.argv[2] ?? "").href);
