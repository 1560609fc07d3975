import ipaddr from "ipaddr.js";

/**
 * The address rule for webhooks: only public unicast addresses, as the
 * maintained ipaddr.js classifies them (`range() === "unicast"`); loopback,
 * private, link-local (the cloud metadata service), carrier-grade NAT,
 * unspecified, broadcast, multicast, documentation and reserved ranges are
 * refused, and so is anything that does not parse.
 *
 * An IPv6 address that carries an IPv4 address reaches that IPv4 host, so it
 * is judged by the IPv4 it carries: IPv4-mapped (::ffff:a.b.c.d), IPv4-
 * translated (::ffff:0:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64
 * (64:ff9b::/96, and 64:ff9b:1::/48 with the IPv4 in the last 32 bits, as a
 * /96 inside it carries it), 6to4 (2002:aabb:ccdd::) and Teredo (both the
 * server and the client address). So ::127.0.0.1 and 64:ff9b::a9fe:a9fe are
 * refused, while a NAT64 address of a public server (DNS64 on an IPv6-only
 * host) is allowed.
 */

const NAT64 = ipaddr.parseCIDR("64:ff9b::/96");
const NAT64_LOCAL = ipaddr.parseCIDR("64:ff9b:1::/48");
const SIX_TO_FOUR = ipaddr.parseCIDR("2002::/16");
const TEREDO = ipaddr.parseCIDR("2001::/32");
const IPV4_TRANSLATED = ipaddr.parseCIDR("::ffff:0:0:0/96");
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");

const v4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/** The IPv4 addresses an IPv6 address carries (none for a plain IPv6 address). */
function carriedIPv4(address: ipaddr.IPv6): ipaddr.IPv4[] {
  const p = address.parts;
  if (address.isIPv4MappedAddress()) return [address.toIPv4Address()];
  if ([IPV4_TRANSLATED, IPV4_COMPATIBLE, NAT64, NAT64_LOCAL].some((net) => address.match(net))) return [v4(p[6], p[7])];
  if (address.match(SIX_TO_FOUR)) return [v4(p[1], p[2])];
  // Teredo: the server's IPv4, then the client's, stored inverted.
  if (address.match(TEREDO)) return [v4(p[2], p[3]), v4(~p[6] & 0xffff, ~p[7] & 0xffff)];
  return [];
}

/** True for every address a webhook must not be posted to. */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv4") return parsed.range() !== "unicast";
  const carried = carriedIPv4(parsed as ipaddr.IPv6);
  if (carried.length) return carried.some((ip) => ip.range() !== "unicast");
  return parsed.range() !== "unicast";
}
