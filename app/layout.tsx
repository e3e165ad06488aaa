import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { ServiceWorkerRegistration } from "@/components/shell/service-worker-registration";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Maestro", template: "%s · Maestro" },
  description: "Conduct your AI coding agents from your phone or a desktop tab.",
  applicationName: "Maestro",
  appleWebApp: { capable: true, title: "Maestro", statusBarStyle: "black-translucent" },
  icons: { icon: "/icons/icon-192.png", apple: "/apple-touch-icon.png" },
  formatDetection: { telephone: false },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  viewportFit: "cover",
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#f6f7f9" },
    { media: "(prefers-color-scheme: dark)", color: "#0b0d12" },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh antialiased">
        {children}
        <ServiceWorkerRegistration />
      </body>
    </html>
  );
}
