import QRCode from "qrcode";

/** The lines printed in the terminal so a phone can pair: URL(s) and a QR code of the first. */
export async function pairingBanner(urls: string[], options: { qr: boolean }): Promise<string> {
  const [first] = urls;
  if (!first) return "";
  const lines = ["", "Pair a device: open this link (it works once and expires in an hour):", ...urls.map((u) => `  ${u}`)];
  if (options.qr) lines.push("", await QRCode.toString(first, { type: "terminal", small: true }));
  return lines.join("\n");
}
