import { hostname, networkInterfaces } from "node:os";

/**
 * The hosts `next dev` may be opened by besides localhost: 127.0.0.1, the
 * machine's name and every address it has on a network (the "Network:" line
 * the dev server prints is one of them), plus any listed in
 * LEDGERLINE_DEV_ORIGINS (comma-separated, for a tunnel or a proxy's name).
 * Next blocks its dev assets to any other origin, and a page whose scripts
 * are blocked never hydrates. Development only: `next start` ignores it.
 */
export function devOrigins(env: Record<string, string | undefined> = process.env, interfaces = networkInterfaces(), host = hostname()): string[] {
  const addresses = Object.values(interfaces)
    .flatMap((entries) => entries ?? [])
    .filter((entry) => !entry.internal)
    // An origin's host names an IPv6 address in brackets, as a URL does.
    .map((entry) => (entry.address.includes(":") ? `[${entry.address}]` : entry.address));
  const listed = (env.LEDGERLINE_DEV_ORIGINS ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  return [...new Set(["127.0.0.1", host, ...addresses, ...listed])];
}
