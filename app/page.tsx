"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/client";

export default function DashboardPage() {
  const trpc = useTRPC();
  const agents = useQuery(trpc.agents.list.queryOptions());
  return (
    <main className="p-4">
      <h1 className="text-xl font-semibold">Agents</h1>
      <ul>{agents.data?.map((a) => <li key={a.id}>{a.name}</li>)}</ul>
    </main>
  );
}
