import { z } from "zod";
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_PATH } from "../autorun/documents";
import { idSchema } from "./common";

// Names are checked in full by the service (one place); here only the shape and a length cap.
const docPath = z.string().max(MAX_DOCUMENT_PATH + 100);
const doc = { agentId: idSchema, path: docPath };
// Characters ≤ bytes, so this is a first cap; the service measures the UTF-8 bytes.
const content = z.string().max(MAX_DOCUMENT_BYTES, `Auto Run documents are limited to ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB.`);
const version = z.string().regex(/^[0-9a-f]{64}$/, "Reload the document and try again.");

export const documentInput = z.object(doc);
export const createDocumentInput = z.object({ ...doc, content });
/** "Save as": a whole document under a name; a taken name is refused unless `overwrite`. */
export const saveAsDocumentInput = z.object({ ...doc, content, overwrite: z.boolean().default(false) });
export const saveDocumentInput = z.object({ ...doc, content, baseVersion: version });
export const setTaskInput = z.object({ ...doc, index: z.number().int().min(0), done: z.boolean(), baseVersion: version.optional() });
export const renameDocumentInput = z.object({ agentId: idSchema, from: docPath, to: docPath });
