import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { describeAlert, type AlertFacts } from "@/lib/alerts/alert-words";
import { retryDelayMs } from "@/lib/alerts/retry-schedule";
import { signatureHeader, verifySignature } from "@/lib/alerts/webhook-signature";
import { isPrivateAddress } from "@/lib/alerts/webhook-address";
import { postWebhook, privateNetworksAllowed } from "@/lib/alerts/webhook-post";

describe("webhook signatures", () => {
  const at = new Date("2026-03-20T12:00:00Z");
  const header = signatureHeader("llsig_secret", '{"id":"alert_1"}', at);

  it("sign t.body with HMAC-SHA256 and verify only the same body, secret and a recent time", () => {
    expect(header).toMatch(/^t=1774008000,v1=[0-9a-f]{64}$/);
    expect(verifySignature(header, '{"id":"alert_1"}', "llsig_secret", { now: at })).toBe(true);
    expect(verifySignature(header, '{"id":"alert_2"}', "llsig_secret", { now: at })).toBe(false);
    expect(verifySignature(header, '{"id":"alert_1"}', "llsig_other", { now: at })).toBe(false);
    expect(verifySignature(header, '{"id":"alert_1"}', "llsig_secret", { now: new Date(at.getTime() + 301_000) })).toBe(false);
    expect(verifySignature("garbage", "{}", "llsig_secret", { now: at })).toBe(false);
  });
});

describe("retry schedule", () => {
  it("doubles from 30 seconds and stops after the eighth attempt", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, null]);
  });
});

describe("webhook destinations", () => {
  // Every spelling of a non-public address, IPv4 carried inside IPv6 included.
  const REFUSED: [string, string][] = [
    ["127.0.0.1", "IPv4 loopback"],
    ["10.1.2.3", "private 10/8"],
    ["172.16.0.1", "private 172.16/12"],
    ["172.31.255.254", "private 172.16/12, its top"],
    ["192.168.1.1", "private 192.168/16"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["169.254.169.254", "link-local: the cloud metadata service"],
    ["0.0.0.0", "unspecified"],
    ["255.255.255.255", "broadcast"],
    ["224.0.0.1", "multicast"],
    ["192.0.2.1", "documentation (reserved)"],
    ["::1", "IPv6 loopback"],
    ["::", "IPv6 unspecified"],
    ["fe80::1", "IPv6 link-local"],
    ["fc00::1", "unique local"],
    ["fd12:3456::1", "unique local"],
    ["ff02::1", "IPv6 multicast"],
    ["2001:db8::1", "IPv6 documentation"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
    ["::ffff:a9fe:a9fe", "IPv4-mapped metadata service, hex"],
    ["::ffff:0:10.0.0.1", "IPv4-translated private"],
    ["::127.0.0.1", "IPv4-compatible loopback"],
    ["::a9fe:a9fe", "IPv4-compatible metadata service"],
    ["64:ff9b::a9fe:a9fe", "NAT64 metadata service"],
    ["64:ff9b::10.0.0.1", "NAT64 private"],
    ["64:ff9b:1::7f00:1", "local-use NAT64 loopback"],
    ["2002:7f00:1::", "6to4 loopback"],
    ["2002:c0a8:101::1", "6to4 private"],
    ["2001:0:4136:e378:8000:63bf:f5ff:fffe", "Teredo with a private client (10.0.0.1, inverted)"],
    ["2001:0:a00:1:8000:63bf:f7f7:f7f7", "Teredo via a private server (10.0.0.1)"],
    ["not-an-address", "not an address at all"],
  ];
  const ALLOWED: [string, string][] = [
    ["93.184.216.34", "public IPv4"],
    ["8.8.8.8", "public IPv4"],
    ["2606:4700:4700::1111", "public IPv6"],
    ["::ffff:8.8.8.8", "IPv4-mapped public"],
    ["64:ff9b::808:808", "NAT64 of a public server (DNS64)"],
    ["2002:808:808::1", "6to4 of a public host"],
    ["2001:0:4136:e378:8000:63bf:f7f7:f7f7", "Teredo, public server and client (8.8.8.8, inverted)"],
  ];

  it.each(REFUSED)("refuse %s (%s)", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(ALLOWED)("allow %s (%s)", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it("are refused when private unless allowed, by address and by name", async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits += 1;
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await postWebhook(`http://127.0.0.1:${port}/`, "{}", {}, false)).toEqual({ status: null, error: expect.stringMatching(/^Refused/) });
      expect(await postWebhook(`http://localhost:${port}/`, "{}", {}, false)).toEqual({ status: null, error: expect.stringMatching(/^Refused/) });
      expect(hits).toBe(0);
      expect(await postWebhook(`http://127.0.0.1:${port}/`, "{}", {}, true)).toEqual({ status: 200, error: null });
    } finally {
      server.close();
    }
    expect(privateNetworksAllowed({ NODE_ENV: "production" })).toBe(false);
    expect(privateNetworksAllowed({ NODE_ENV: "production", WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" })).toBe(true);
    expect(privateNetworksAllowed({ NODE_ENV: "development" })).toBe(true);
  });
});

describe("alert words", () => {
  const alert = (facts: Partial<AlertFacts>): AlertFacts => ({
    userId: "",
    metric: "emails_sent",
    periodStart: new Date("2026-03-15T00:00:00Z"),
    threshold: 100,
    state: "raised",
    cause: "usage",
    used: 500,
    limit: 500,
    ...facts,
  });

  it("say what happens at 100% and when usage falls back", () => {
    expect(describeAlert(alert({}), { memberName: null, showDollars: false })).toEqual({
      title: "Emails Sent reached 100%",
      detail: "500 of 500. Further requests answer 429 until the cycle resets or the plan is upgraded.",
    });
    expect(describeAlert(alert({ metric: "contacts", state: "resolved", threshold: 80, used: 700, limit: 1_000 }), { memberName: null, showDollars: false })).toEqual({
      title: "Contacts is back below 80%",
      detail: "700 of 1,000.",
    });
  });

  it("give the AI pool in dollars only to readers allowed to see them", () => {
    const ai = alert({ metric: "ai_budget", threshold: 90, used: 90_000_000, limit: 100_000_000 });
    expect(describeAlert(ai, { memberName: null, showDollars: true }).detail).toBe("$90.00 of $100.00.");
    expect(describeAlert(ai, { memberName: null, showDollars: false })).toEqual({ title: "The AI budget reached 90%", detail: "90% used." });
  });
});
