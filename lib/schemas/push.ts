import { z } from "zod";
import { base64UrlToBytes } from "../push/base64url";

/** A push service URL. Browsers only hand out https endpoints, and web-push refuses others. */
export const endpointSchema = z
  .string()
  .trim()
  .max(2048, "That endpoint is too long.")
  .refine((s) => {
    try {
      return new URL(s).protocol === "https:";
    } catch {
      return false;
    }
  }, "The push endpoint must be an https URL.");

/** An uncompressed P-256 public point: 65 bytes, first byte 0x04. */
const p256dhSchema = z.string().refine((s) => {
  const bytes = base64UrlToBytes(s);
  return !!bytes && bytes.length === 65 && bytes[0] === 4;
}, "keys.p256dh must be a base64url P-256 public key (65 bytes).");

const authSchema = z.string().refine((s) => base64UrlToBytes(s)?.length === 16, "keys.auth must be a base64url 16-byte secret.");

/** What `PushSubscription.toJSON()` gives in a browser, plus a name for the device. */
export const subscribeInput = z.object({
  endpoint: endpointSchema,
  keys: z.object({ p256dh: p256dhSchema, auth: authSchema }),
  deviceLabel: z.string().trim().max(80, "Keep the device name under 80 characters.").default(""),
});
export type SubscribeInput = z.output<typeof subscribeInput>;

export const endpointInput = z.object({ endpoint: endpointSchema });

/** Send a test to one subscription (this device's endpoint) or, without one, to all. */
export const testInput = z.object({ endpoint: endpointSchema.optional() }).default({});

/** One open copy of the app says whether it is on screen. `clientId` is random per page load. */
export const presenceInput = z.object({
  clientId: z.string().min(8).max(64),
  visible: z.boolean(),
});
