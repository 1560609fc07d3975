import { lookup, type LookupAddress, type LookupOptions } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { isPrivateAddress } from "./webhook-address";

/**
 * POSTs a webhook body and reports the HTTP status, or why there is none. An
 * admin chooses the URL, so by default the server posts only to public unicast
 * addresses (./webhook-address.ts: no loopback, private or link-local address,
 * the cloud metadata service among them, in any IPv4 or IPv6 spelling),
 * checked on the address actually connected to, so DNS cannot point around it.
 * Development and tests allow them (WEBHOOK_ALLOW_PRIVATE_NETWORKS).
 */

export interface PostOutcome {
  status: number | null;
  error: string | null;
}

const TIMEOUT_MS = 10_000;

export function privateNetworksAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.WEBHOOK_ALLOW_PRIVATE_NETWORKS) return env.WEBHOOK_ALLOW_PRIVATE_NETWORKS === "true";
  return env.NODE_ENV !== "production";
}

const REFUSED = "Refused: the webhook URL points to an address that is not public (loopback, private, link-local or reserved).";

/** dns.lookup that fails when any answer is not public, for http.request's `lookup` option. */
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
