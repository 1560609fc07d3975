import { describe, expect, it } from "vitest";
import { clientBucket, parseTrustedProxies, resolveClientAddress } from "@/lib/http/client-address";
import { apiPath } from "@/lib/http/api-path";

describe("resolveClientAddress", () => {
  const none = parseTrustedProxies(undefined);

  it("takes the socket's peer and ignores X-Forwarded-For when no proxy is trusted, loopback included", () => {
    expect(resolveClientAddress("127.0.0.1", "203.0.113.7", none)).toBe("127.0.0.1");
    expect(resolveClientAddress("198.51.100.4", "203.0.113.7, 10.0.0.1", none)).toBe("198.51.100.4");
    expect(resolveClientAddress("::ffff:198.51.100.4", undefined, none)).toBe("198.51.100.4");
    expect(resolveClientAddress(undefined, "203.0.113.7", none)).toBe("unknown");
  });

  it("believes X-Forwarded-For only as far as the hops that trusted proxies added", () => {
    const trusted = parseTrustedProxies("10.0.0.0/8, 192.0.2.10");
    // The load balancer (10.1.1.1) appended the address it saw: the client's.
    expect(resolveClientAddress("10.1.1.1", "203.0.113.7", trusted)).toBe("203.0.113.7");
    // Whatever the client wrote stands left of that and is not believed.
    expect(resolveClientAddress("10.1.1.1", "6.6.6.6, 203.0.113.7", trusted)).toBe("203.0.113.7");
    // Two trusted proxies in a row.
    expect(resolveClientAddress("192.0.2.10", "6.6.6.6, 203.0.113.7, 10.2.2.2", trusted)).toBe("203.0.113.7");
    // A peer outside the list is the client, whatever it forwards.
    expect(resolveClientAddress("198.51.100.4", "203.0.113.7", trusted)).toBe("198.51.100.4");
    // A hop that is no address ends the walk at the last proxy.
    expect(resolveClientAddress("10.1.1.1", "not-an-ip", trusted)).toBe("10.1.1.1");
    expect(resolveClientAddress("10.1.1.1", "[2001:db8::1]", trusted)).toBe("2001:db8::1");
  });

  it("refuses a TRUSTED_PROXIES entry that is not an address or range, naming it", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, proxy.internal")).toThrow(/"proxy.internal"/);
  });
});

describe("clientBucket", () => {
  it("is the IPv4 address, or the IPv6 /64", () => {
    expect(clientBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(clientBucket("2001:db8:aa:bb:1:2:3:4")).toBe("2001:db8:aa:bb::/64");
    expect(clientBucket("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(clientBucket("unknown")).toBe("unknown");
  });
});

describe("apiPath", () => {
  it("gives every spelling of a path the one spelling the endpoint table uses", () => {
    for (const spelling of [
      "/api/v1/usage/check",
      "/api/v1/usage/check?x=1",
      "/api/v1/usage/check/",
      "//api/v1/usage//check",
      "/api/v1/usage/./check",
      "/api/v1/usage/%2e/check",
      "/api/v1/ai/../usage/check",
      "/api/v1/usage/%63heck",
      "/api/v1/usage/x/%2E%2E/check",
    ]) {
      expect(apiPath(spelling), spelling).toBe("/api/v1/usage/check");
    }
    expect(apiPath("/")).toBe("/");
    expect(apiPath("/settings/usage")).toBe("/settings/usage");
  });

  it("leaves escaped slashes escaped, so they name no endpoint", () => {
    expect(apiPath("/api/v1/usage%2Fcheck")).toBe("/api/v1/usage%2Fcheck");
  });
});
