const SERVICES: [RegExp, string][] = [
  [/(^|\.)fcm\.googleapis\.com$|(^|\.)android\.googleapis\.com$/, "Chrome push (Google)"],
  [/(^|\.)push\.services\.mozilla\.com$/, "Firefox push (Mozilla)"],
  [/(^|\.)push\.apple\.com$/, "Safari push (Apple)"],
  [/(^|\.)notify\.windows\.com$/, "Edge push (Microsoft)"],
];

/** Which push service a subscription goes through, from its endpoint's host, for the device list. */
export function pushServiceName(endpoint: string): string {
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    return "Unknown push service";
  }
  return SERVICES.find(([re]) => re.test(host))?.[1] ?? host;
}
