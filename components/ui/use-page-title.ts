"use client";

import { useEffect } from "react";

/** Sets the document title for client-rendered pages ("Agents · Maestro"). */
export function usePageTitle(title: string | null | undefined) {
  useEffect(() => {
    if (title) document.title = `${title} · Maestro`;
  }, [title]);
}
