"use client";

export default function PairPage() {
  return <main className="p-4"><h1>Pair this device</h1></main>;
}
