#!/usr/bin/env node
/**
 * Draws Maestro's mark (a conductor's "M" with the baton's tip) and writes the PWA icons as
 * PNG files. Node builtins only: shapes are signed-distance fields with analytic anti-aliasing,
 * and the PNG encoder (zlib + CRC32) is written out below.
 *
 *   node scripts/make-icons.mjs      → public/icons/icon-192.png, icon-512.png, maskable-512.png,
 *                                      public/apple-touch-icon.png
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const ROOT = path.resolve(import.meta.dirname, "..");

// The mark in a 64-unit square (the same geometry as components/ui/logo.tsx).
const STROKE = [
  [17, 51],
  [17, 27],
  [32, 43],
  [47, 27],
  [47, 51],
];
const STROKE_WIDTH = 6.5;
// The baton: the M's rising stroke carries on past the peak, thinning to a point of light.
const BATON = { from: [26, 18], to: [50, 7], r0: 2.1, r1: 0.8 };
const DOT = { x: 25.5, y: 18.2, r: 3.3 };
const CORNER = 15;
const BG_TOP = [0x16, 0x1a, 0x2e];
const BG = [0x0b, 0x0d, 0x12];
const ACCENT = [0x81, 0x8c, 0xf8];
const ACCENT_2 = [0xc4, 0xb5, 0xfd];

const clamp01 = (v) => Math.min(1, Math.max(0, v));
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);

function segmentDistance(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = clamp01(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** Distance to a capsule whose radius shrinks from r0 to r1 along the segment (approximate). */
function taperedDistance(px, py, { from: [ax, ay], to: [bx, by], r0, r1 }) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = clamp01(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy) - (r0 + (r1 - r0) * t);
}

function roundedBoxDistance(px, py, size, r) {
  const h = size / 2;
  const qx = Math.abs(px - h) - (h - r);
  const qy = Math.abs(py - h) - (h - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/**
 * Renders one icon. `scale` shrinks the mark around its own centre (maskable icons keep it in
 * the 80 % safe zone); `rounded` cuts the background corners (transparent outside).
 */
function render(size, { scale = 1, rounded = true }) {
  const px = new Uint8Array(size * size * 4);
  const unit = size / 64; // pixels per mark unit
  // Centre of the mark's bounding box, moved to the icon's centre before scaling.
  const cx = (17 - STROKE_WIDTH / 2 + BATON.to[0] + BATON.r1) / 2;
  const cy = (BATON.to[1] - BATON.r1 + 51 + STROKE_WIDTH / 2) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Sample at the pixel centre, in mark units.
      const u = (x + 0.5) / unit;
      const v = (y + 0.5) / unit;
      const bgDist = rounded ? roundedBoxDistance(u, v, 64, CORNER) * unit : -1;
      const bgAlpha = clamp01(0.5 - bgDist);
      if (bgAlpha === 0) continue;
      // Background: a faint glow from the top.
      const glow = clamp01(1 - Math.hypot(u - 32, v + 8) / 70);
      let color = mix(BG, BG_TOP, glow * glow);

      // Mark coordinates: centred and scaled.
      const mu = (u - 32) / scale + cx;
      const mv = (v - 32) / scale + cy;
      let d = Infinity;
      for (let i = 0; i < STROKE.length - 1; i++) d = Math.min(d, segmentDistance(mu, mv, STROKE[i], STROKE[i + 1]));
      d = Math.min(d - STROKE_WIDTH / 2, taperedDistance(mu, mv, BATON));
      const strokeAlpha = clamp01(0.5 - d * unit * scale);
      const dotAlpha = clamp01(0.5 - (Math.hypot(mu - DOT.x, mv - DOT.y) - DOT.r) * unit * scale);
      // Gradient from bottom-left to top-right across the stroke's box.
      const t = clamp01((mu - 13.75 + (54.25 - mv)) / (40 + 46));
      color = mix(color, mix(ACCENT, ACCENT_2, t), strokeAlpha);
      color = mix(color, ACCENT_2, dotAlpha);

      const o = (y * size + x) * 4;
      px[o] = Math.round(color[0]);
      px[o + 1] = Math.round(color[1]);
      px[o + 2] = Math.round(color[2]);
      px[o + 3] = Math.round(bgAlpha * 255);
    }
  }
  return px;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** RGBA 8-bit, no interlace; every scanline uses filter 0 (None). */
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  ihdr[10] = 0; // compression
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // interlace
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (stride + 1)] = 0;
    Buffer.from(rgba.buffer, y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const OUTPUTS = [
  { file: "public/icons/icon-192.png", size: 192, rounded: true, scale: 1 },
  { file: "public/icons/icon-512.png", size: 512, rounded: true, scale: 1 },
  // Full-bleed: the launcher applies its own mask; the mark stays inside the 80 % circle.
  { file: "public/icons/maskable-512.png", size: 512, rounded: false, scale: 0.68 },
  // iOS rounds the corners itself and shows transparency as black: full-bleed.
  { file: "public/apple-touch-icon.png", size: 180, rounded: false, scale: 0.86 },
];

for (const out of OUTPUTS) {
  const png = encodePng(out.size, render(out.size, out));
  const dest = path.join(ROOT, out.file);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, png);
  console.log(`${out.file}  ${out.size}×${out.size}  ${png.length} bytes`);
}
