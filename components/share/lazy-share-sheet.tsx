"use client";

import dynamic from "next/dynamic";

/**
 * The share sheet for screens that must load fast (the dashboard, an agent): its code (and the
 * QR code rendering) loads when Share is first tapped, not with the page. Render it only while
 * open.
 */
export const LazyShareSheet = dynamic(() => import("./share-sheet").then((m) => m.ShareSheet), { ssr: false });
