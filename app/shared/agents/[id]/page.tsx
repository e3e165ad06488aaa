"use client";

import { useParams } from "next/navigation";
import { SharedAgent } from "@/components/share/shared-agent";

export default function SharedAgentPage() {
  const params = useParams<{ id: string }>();
  const id = decodeURIComponent(params?.id ?? "");
  return id ? <SharedAgent key={id} agentId={id} /> : null;
}
