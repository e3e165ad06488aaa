import type { IncomingMessage, ServerResponse } from "node:http";
import { isHttps } from "./request-info";

/**
 * The Content-Security-Policy of every response.
 *
 * Why 'unsafe-inline' for scripts: Next.js streams the page's data as inline
 * `<script>self.__next_f.push(…)</script>` tags whose content differs per page and per build, so
 * hashes cannot list them, and nonces would force every page to render per request (no static
 * app shell for the service worker to cache, slower starts). What the policy does guarantee: no
 * script, style, font, frame or connection from any other origin, no plugins, no <base>
 * hijack, forms post only here, and no one may frame the app (clickjacking). Dev mode adds
 * 'unsafe-eval', which React's dev build needs.
 */
export function contentSecurityPolicy(options: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const ONE_YEAR_S = 365 * 24 * 60 * 60;

/** Baseline headers on every response the bridge sends (API, pages, assets, errors). */
export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse, options: { dev?: boolean } = {}) {
  res.setHeader("content-security-policy", contentSecurityPolicy(options));
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("cross-origin-opener-policy", "same-origin");
  res.setHeader("permissions-policy", "camera=(), geolocation=(), payment=(), usb=()");
  // Only over https (the tunnel): on plain http the header is meaningless, and on localhost it
  // would pin other local apps of this name to https.
  if (isHttps(req)) res.setHeader("strict-transport-security", `max-age=${ONE_YEAR_S}`);
}
