import type { APIRequestContext } from "@playwright/test";
import { bridgeUrl } from "./fixtures";

/** Calls the bridge's tRPC API with the page's own session cookie (superjson wire format). */
export async function trpcQuery<T = unknown>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await request.get(`${bridgeUrl()}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);
  if (!res.ok()) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
  return (await res.json()).result.data.json as T;
}

export async function trpcMutation<T = unknown>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const res = await request.post(`${bridgeUrl()}/api/trpc/${path}`, {
    headers: { origin: bridgeUrl(), "content-type": "application/json" },
    data: { json: input },
  });
  if (!res.ok()) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
  return (await res.json()).result.data.json as T;
}
