import { lookup, type LookupAddress, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";

/**
 * POSTs a webhook body and reports the HTTP status, or why there is none. An
 * admin chooses the URL, so by default the server refuses to post to loopback,
 * private and link-local addresses (the cloud metadata service among them),
 * checked on the address actually connected to, so DNS cannot point around it.
 * Development and tests allow them (WEBHOOK_ALLOW_PRIVATE_NETWORKS).
 */

export interface PostOutcome {
  status: number | null;
  error: string | null;
}

const TIMEOUT_MS = 10_000;

const PRIVATE = new BlockList();
for (const [net, prefix] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.168.0.0", 16], ["224.0.0.0", 3]] as const) {
  PRIVATE.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [["::", 127], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const) PRIVATE.addSubnet(net, prefix, "ipv6");

export function isPrivateAddress(address: string): boolean {
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i)?.[1];
  if (mapped) return isPrivateAddress(mapped);
  return PRIVATE.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

export function privateNetworksAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.WEBHOOK_ALLOW_PRIVATE_NETWORKS) return env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === "true";
  return env.NODE_ENV !== "production";
}

const REFUSED = "Refused: the webhook URL points to a private or loopback address.";

/** dns.lookup that fails on private answers, for http.request's `lookup` option. */
function publicLookup(hostname: string, options: LookupOptions, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    if (addresses.some((a) => isPrivateAddress(a.address))) return callback(new Error(REFUSED), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

export function postWebhook(url: string, body: string, headers: Record<string, string>, allowPrivate = privateNetworksAllowed()): Promise<PostOutcome> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && isIP(host) && isPrivateAddress(host)) return Promise.resolve({ status: null, error: REFUSED });
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body), "user-agent": "Ledgerline-Webhooks/1" },
        lookup: allowPrivate ? undefined : publicLookup,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve({ status: response.statusCode ?? null, error: null }));
        response.on("error", (error) => resolve({ status: response.statusCode ?? null, error: error.message }));
      },
    );
    request.on("error", (error) => resolve({ status: null, error: error.name === "AbortError" ? `No answer within ${TIMEOUT_MS / 1000} s.` : error.message }));
    request.end(body);
  });
}
