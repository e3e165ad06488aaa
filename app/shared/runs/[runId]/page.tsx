"use client";

import { useParams } from "next/navigation";
import { SharedRun } from "@/components/share/shared-run";

export default function SharedRunPage() {
  const params = useParams<{ runId: string }>();
  const id = decodeURIComponent(params?.runId ?? "");
  return id ? <SharedRun key={id} runId={id} /> : null;
}
