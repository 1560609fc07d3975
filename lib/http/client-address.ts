import ipaddr from "ipaddr.js";

/**
 * Who the client is, decided once per request by the production server from
 * the socket: X-Forwarded-For is believed only when the peer that sent it is a
 * proxy the operator listed in TRUSTED_PROXIES. Nothing is trusted by default,
 * loopback included, so a client can neither hide behind a header it wrote nor
 * put another address's name on its failures.
 */

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

export interface TrustedProxies {
  ranges: Range[];
}

/** TRUSTED_PROXIES: comma-separated addresses or CIDRs (e.g. `10.0.0.0/8, 192.0.2.10`). */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const ranges: Range[] = [];
  for (const entry of (value ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    try {
      ranges.push(entry.includes("/") ? ipaddr.parseCIDR(entry) : fullRange(ipaddr.parse(entry)));
    } catch {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range.`);
    }
  }
  return { ranges };
}

const fullRange = (address: ipaddr.IPv4 | ipaddr.IPv6): Range => [address, address.kind() === "ipv4" ? 32 : 128];

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** How a dual-stack socket names an IPv4 peer. */
const IPV4_MAPPED = /^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i;

/** Parses an address, seeing an IPv4-mapped IPv6 address (how dual-stack sockets report IPv4 peers) as the IPv4 it is. */
function parseAddress(text: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!text) return null;
  const trimmed = text.trim().replace(/^\[(.*)\]$/, "$1");
  return ipaddr.isValid(trimmed) ? ipaddr.process(trimmed) : null;
}

function isTrusted(address: ipaddr.IPv4 | ipaddr.IPv6, trusted: TrustedProxies): boolean {
  return trusted.ranges.some(([network, bits]) => address.kind() === network.kind() && address.match(network, bits));
}

/**
 * The client's address: the socket's peer, or, while that peer is a trusted
 * proxy, the hop it forwarded for (X-Forwarded-For read from the right, the
 * end a trusted proxy appends to). A hop that is not an address ends the walk
 * at the last proxy: what stands left of it was written by the client.
 */
export function resolveClientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: TrustedProxies): string {
  // No proxy trusted (the default): the peer is the client, named as the socket reports it, and
  // nothing needs parsing on the hot path (the socket gives a well-formed address).
  if (!trusted.ranges.length) return peer ? peer.replace(IPV4_MAPPED, "") : "unknown";
  let current = parseAddress(peer);
  if (!current) return "unknown";
  const hops = (forwardedFor ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  while (hops.length && isTrusted(current, trusted)) {
    const next = parseAddress(hops.pop());
    if (!next) break;
    current = next;
  }
  return current.toString();
}

/**
 * The bucket abuse limits count a client in: its IPv4 address, or the /64 its
 * IPv6 address is in (one subscriber line usually holds a whole /64, so
 * counting single IPv6 addresses would give an attacker 2^64 fresh starts).
 */
export function clientBucket(address: string): string {
  if (IPV4.test(address)) return address;
  const parsed = parseAddress(address);
  if (!parsed) return address;
  if (parsed.kind() === "ipv4") return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(":")}::/64`;
}

/**
 * The request header that carries the resolved address from the production
 * server to the endpoints and to Next's handlers. The server always sets it,
 * replacing whatever a client sent under that name.
 */
export const CLIENT_ADDRESS_HEADER = "x-ledgerline-client-address";

/**
 * The client's address as the production server resolved it. Without that
 * server in front (`next dev`, `next start`) there is no socket to read here,
 * so the first X-Forwarded-For hop stands in: those are development servers,
 * and the README says production runs `npm start`.
 */
export function requestClientAddress(headers: Pick<Headers, "get">): string {
  return headers.get(CLIENT_ADDRESS_HEADER) ?? (headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown");
}
