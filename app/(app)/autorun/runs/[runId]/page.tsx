"use client";

import { useParams } from "next/navigation";
import { RunPage } from "@/components/autorun/run-page";

export default function AutorunRunPage() {
  const params = useParams<{ runId: string }>();
  return <RunPage runId={decodeURIComponent(params?.runId ?? "")} />;
}
