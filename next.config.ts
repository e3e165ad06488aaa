import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The bridge (server/main.ts) is the server; Next only renders the app shell.
  typedRoutes: false,
};

export default nextConfig;
