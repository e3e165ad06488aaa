// REJECT: routers never import the generated Prisma client.
import { PrismaClient } from "../../../../generated/prisma/client";

export const make = () => new PrismaClient();
