// REJECT: no tRPC client on the CLI's start path (cli/trpc-http.mjs speaks the wire itself).
import { createTRPCClient } from "@trpc/client";

export const make = createTRPCClient;
