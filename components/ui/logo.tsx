import { useId } from "react";

/** Maestro's mark: an "M" under a conductor's baton (as drawn by scripts/make-icons.mjs). Decorative. */
export function Logo({ className = "size-8" }: { className?: string }) {
  // Unique gradient ids: a copy inside a hidden sidebar must not swallow the others' paint.
  const id = `logo${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const stroke = `${id}-stroke`;
  const bg = `${id}-bg`;
  return (
    <svg viewBox="0 0 64 64" aria-hidden="true" focusable="false" className={className}>
      <defs>
        <linearGradient id={stroke} x1="14" y1="54" x2="51" y2="6" gradientUnits="userSpaceOnUse">
          <stop offset="0" stopColor="#818cf8" />
          <stop offset="1" stopColor="#c4b5fd" />
        </linearGradient>
        <radialGradient id={bg} cx="32" cy="-8" r="70" gradientUnits="userSpaceOnUse">
          <stop offset="0" stopColor="#161a2e" />
          <stop offset="1" stopColor="#0b0d12" />
        </radialGradient>
      </defs>
      <rect width="64" height="64" rx="15" fill={`url(#${bg})`} />
      <g transform="translate(-0.3 1.8)" fill={`url(#${stroke})`}>
        <path
          d="M17 51V27l15 16 15-16v24"
          fill="none"
          stroke={`url(#${stroke})`}
          strokeWidth="6.5"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
        <path d="M26.9 19.9 50.3 7.7 49.7 6.3 25.1 16.1z" />
        <circle cx="50" cy="7" r="0.8" />
        <circle cx="25.5" cy="18.2" r="3.3" />
      </g>
    </svg>
  );
}
