/** How to get cloudflared, per operating system (what the Settings screen and the terminal say). */
export interface InstallStep {
  os: string;
  label: string;
  commands: string[];
}

export const CLOUDFLARED_RELEASES = "https://github.com/cloudflare/cloudflared/releases/latest";

export const CLOUDFLARED_INSTALL: readonly InstallStep[] = [
  {
    os: "linux",
    label: "Debian / Ubuntu",
    commands: [
      "curl -fLO https://github.com/cloudflare/cloudflared/releases/latest/download/cloudflared-linux-amd64.deb",
      "sudo dpkg -i cloudflared-linux-amd64.deb",
    ],
  },
  {
    os: "linux-apt",
    label: "Debian / Ubuntu (Cloudflare's apt repository)",
    commands: [
      "sudo mkdir -p --mode=0755 /usr/share/keyrings",
      "curl -fsSL https://pkg.cloudflare.com/cloudflare-main.gpg | sudo tee /usr/share/keyrings/cloudflare-main.gpg >/dev/null",
      "echo 'deb [signed-by=/usr/share/keyrings/cloudflare-main.gpg] https://pkg.cloudflare.com/cloudflared any main' | sudo tee /etc/apt/sources.list.d/cloudflared.list",
      "sudo apt-get update && sudo apt-get install cloudflared",
    ],
  },
  { os: "darwin", label: "macOS", commands: ["brew install cloudflared"] },
  { os: "win32", label: "Windows", commands: ["winget install --id Cloudflare.cloudflared"] },
];

/** The steps for this platform first, then the others (a user may read this on another machine). */
export function installStepsFor(platform: string): InstallStep[] {
  const mine = CLOUDFLARED_INSTALL.filter((s) => s.os === platform || s.os.startsWith(`${platform}-`));
  return [...mine, ...CLOUDFLARED_INSTALL.filter((s) => !mine.includes(s))];
}
