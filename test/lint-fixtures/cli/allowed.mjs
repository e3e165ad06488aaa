// ACCEPT: node built-ins and commander are fine.
import { Command } from "commander";
import http from "node:http";

export const parts = [Command, http];
