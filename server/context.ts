import type { IncomingMessage } from "node:http";
import type { Principal } from "./auth/service";
import type { Services } from "./services";

export interface Context {
  services: Services;
  principal: Principal | null;
}

/** The testable half: routers only see services and who is calling. */
export function createContextInner(opts: { services: Services; principal: Principal | null }): Context {
  return { services: opts.services, principal: opts.principal };
}

/** The HTTP half: the bridge has already authenticated the request. */
export function createContextFromRequest(services: Services, req: IncomingMessage & { principal?: Principal | null }): Context {
  return createContextInner({ services, principal: req.principal ?? null });
}
