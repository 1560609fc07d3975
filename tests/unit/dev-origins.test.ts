import { describe, expect, it } from "vitest";
import type { NetworkInterfaceInfo } from "node:os";
import { devOrigins } from "@/lib/http/dev-origins";

const nic = (address: string, internal = false) => ({ address, internal, family: address.includes(":") ? "IPv6" : "IPv4" }) as NetworkInterfaceInfo;

describe("the dev server's allowed origins", () => {
  it("admits 127.0.0.1, the host name and every external address the machine has", () => {
    const origins = devOrigins({}, { lo: [nic("127.0.0.1", true), nic("::1", true)], eth0: [nic("10.0.0.7"), nic("fe80::1")] }, "crm-box");
    expect(origins).toEqual(["127.0.0.1", "crm-box", "10.0.0.7", "[fe80::1]"]);
  });

  it("adds the names listed in LEDGERLINE_DEV_ORIGINS, trimmed, once each", () => {
    const origins = devOrigins({ LEDGERLINE_DEV_ORIGINS: " tunnel.example.com, ,10.0.0.7" }, { eth0: [nic("10.0.0.7")] }, "crm-box");
    expect(origins).toEqual(["127.0.0.1", "crm-box", "10.0.0.7", "tunnel.example.com"]);
  });
});
