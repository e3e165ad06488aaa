const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Keyboard-reachable, rendered elements inside `root`, in tab order. */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.getClientRects().length > 0 && !el.closest("[inert]"));
}

/**
 * Hides everything outside `keep` from assistive technology and pointer/keyboard (aria-hidden
 * + inert on its body-level siblings) until the returned function is called. Nested calls
 * stack: the innermost modal hides the outer one and restores it when it closes.
 */
export function hideOthers(keep: HTMLElement): () => void {
  const changed: HTMLElement[] = [];
  for (const el of Array.from(document.body.children)) {
    if (!(el instanceof HTMLElement) || el === keep || el.contains(keep)) continue;
    if (el.tagName === "SCRIPT" || el.hasAttribute("aria-hidden")) continue;
    el.setAttribute("aria-hidden", "true");
    el.setAttribute("inert", "");
    changed.push(el);
  }
  return () => {
    for (const el of changed) {
      el.removeAttribute("aria-hidden");
      el.removeAttribute("inert");
    }
  };
}

let scrollLocks = 0;
/** Stops the page behind a modal from scrolling (counted, so nested modals are fine). */
export function lockScroll(): () => void {
  if (scrollLocks++ === 0) document.documentElement.style.overflow = "hidden";
  return () => {
    if (--scrollLocks === 0) document.documentElement.style.overflow = "";
  };
}

let openModals = 0;
/** Whether any modal is open; global single-key shortcuts stay quiet while one is. */
export const modalState = {
  get open() {
    return openModals > 0;
  },
  enter() {
    openModals++;
    return () => {
      openModals--;
    };
  },
};
