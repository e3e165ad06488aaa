import { exchangeImportInput, exchangePreviewInput, exchangeUrlInput } from "../../lib/schemas/exchange";
import { protectedProcedure, router } from "../trpc";

/** The Playbook Exchange: browse the registry (and the local manifest), preview an entry, import it into an agent. */
export const exchangeRouter = router({
  /** The merged catalogue, fetched now; offline it is the last good copy, with why. */
  catalogue: protectedProcedure.query(({ ctx }) => ctx.services.exchange.catalogue()),
  /** An entry's README, or one of its documents, and its document list. */
  preview: protectedProcedure.input(exchangePreviewInput).query(({ ctx, input }) => ctx.services.exchange.preview(input)),
  /** Fetches an entry's documents and assets and installs them with the playbook; a clash is refused unless `overwrite`. */
  import: protectedProcedure.input(exchangeImportInput).mutation(({ ctx, input }) => ctx.services.exchange.import(input)),
  /** The Exchange URL in Settings (null: the default registry). */
  settings: protectedProcedure.query(({ ctx }) => ctx.services.exchange.settings()),
  setUrl: protectedProcedure.input(exchangeUrlInput).mutation(({ ctx, input }) => ctx.services.exchange.setUrl(input.url)),
});
