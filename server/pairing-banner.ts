/** The lines printed in the terminal so a phone can pair: URL(s) and a QR code of the first. */
export async function pairingBanner(urls: string[], options: { qr: boolean }): Promise<string> {
  const [first] = urls;
  if (!first) return "";
  const lines = ["", "Pair a device: open this link (it works once and expires in an hour):", ...urls.map((u) => `  ${u}`)];
  if (options.qr) {
    // Loaded when a QR code is printed: it is not needed for the first page (cold start, bench/README.md).
    const { default: QRCode } = await import("qrcode");
    lines.push("", await QRCode.toString(first, { type: "terminal", small: true }));
  }
  return lines.join("\n");
}
