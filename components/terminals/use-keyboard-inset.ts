"use client";

import { useEffect, useState } from "react";

/**
 * How much of the layout the on-screen keyboard covers, in CSS px (0 without one). Mobile
 * browsers shrink only the visual viewport when the keyboard opens, so anything that must sit
 * above the keyboard is placed by this number.
 */
export function useKeyboardInset(): number {
  const [inset, setInset] = useState(0);
  useEffect(() => {
    const vv = window.visualViewport;
    if (!vv) return;
    const update = () => {
      const covered = Math.round(window.innerHeight - vv.height - vv.offsetTop);
      // Small differences are browser chrome (URL bar), not a keyboard.
      setInset(covered > 80 ? covered : 0);
    };
    update();
    vv.addEventListener("resize", update);
    vv.addEventListener("scroll", update);
    return () => {
      vv.removeEventListener("resize", update);
      vv.removeEventListener("scroll", update);
    };
  }, []);
  return inset;
}
