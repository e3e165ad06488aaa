import type { IncomingMessage } from "node:http";
import type { Principal } from "./auth/service";
import type { Services } from "./services";

export interface Context {
  services: Services;
  principal: Principal | null;
  /** Why the caller's share link was refused (expired, revoked…), said in the 401. */
  refusal?: string;
}

/** The testable half: routers only see services and who is calling. */
export function createContextInner(opts: { services: Services; principal: Principal | null; refusal?: string }): Context {
  return { services: opts.services, principal: opts.principal, refusal: opts.refusal };
}

/** The HTTP half: the bridge has already authenticated the request. */
export function createContextFromRequest(
  services: Services,
  req: IncomingMessage & { principal?: Principal | null; refusal?: string },
): Context {
  return createContextInner({ services, principal: req.principal ?? null, refusal: req.refusal });
}
