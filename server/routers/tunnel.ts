import { configureTunnelInput } from "../../lib/schemas/tunnel";
import { installStepsFor } from "../../lib/tunnel/install";
import { pairingUrl } from "../urls";
import { AppError } from "../errors";
import { resumable } from "../events/resumable";
import type { Services } from "../services";
import { qrDataUrl } from "../services/tunnel/qr";
import { protectedProcedure, router } from "../trpc";

/** Everything the Remote access screen shows, in one shape (QR codes drawn here, not in the bundle). */
async function view(services: Services) {
  const status = services.tunnel.status();
  const lan = services.tunnel.lan();
  return {
    status,
    /** Where the tunnel sends traffic (a named tunnel's route must point here). */
    target: services.tunnel.targetUrl(),
    config: await services.tunnel.config(),
    qr: status.state === "running" && status.url ? await qrDataUrl(status.url) : null,
    lan: { ...lan, qr: await Promise.all(lan.urls.map((u) => qrDataUrl(u))) },
    install: installStepsFor(process.platform),
  };
}

export const tunnelRouter = router({
  status: protectedProcedure.query(async ({ ctx }) => {
    await ctx.services.tunnel.check();
    return view(ctx.services);
  }),
  start: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.services.tunnel.start();
    return view(ctx.services);
  }),
  stop: protectedProcedure.mutation(async ({ ctx }) => {
    await ctx.services.tunnel.stop();
    return view(ctx.services);
  }),
  configure: protectedProcedure.input(configureTunnelInput).mutation(async ({ ctx, input }) => {
    await ctx.services.tunnel.configure(input);
    await ctx.services.tunnel.check();
    return view(ctx.services);
  }),
  /** A one-time pairing link on the public URL, so a phone can pair through the tunnel. */
  pairingLink: protectedProcedure.mutation(async ({ ctx }) => {
    const { state, url } = ctx.services.tunnel.status();
    if (state !== "running" || !url) throw new AppError("CONFLICT", "Start the tunnel first.");
    const { token } = await ctx.services.auth.createPairingToken();
    const link = pairingUrl(url, token);
    return { url: link, qr: await qrDataUrl(link) };
  }),
  /** The whole view now and again whenever the tunnel's state changes (bursts coalesce into one). */
  onStatus: protectedProcedure.subscription(async function* ({ ctx, signal }) {
    const { tunnel, bus } = ctx.services;
    const views = resumable({
      live: bus.stream("tunnel.status", { signal }),
      // A status older than the current one has a newer one queued behind it: skipping it is
      // what coalesces a burst into one view.
      itemsOf: (s) => (s.revision.seq < tunnel.status().revision.seq ? [] : [s]),
      backlog: () => [[tunnel.status()]],
      id: (s) => s.revision.seq,
      after: -1,
    });
    for await (const _change of views) yield await view(ctx.services);
  }),
});
