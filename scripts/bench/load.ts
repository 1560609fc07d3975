import autocannon from "autocannon";
import { benchKey, benchUser } from "./fixtures";

/** Load generation over loopback: autocannon for single routes, a small fetch loop for AI pairs. */

export interface LoadResult {
  perSecond: number;
  p99Ms: number;
  ok: number;
  rejected: number;
  errors: number;
}

let sequence = 0;
const uniqueKey = (prefix: string) => `${prefix}-${process.pid}-${sequence++}`;

export interface HttpLoad {
  url: string;
  path: string;
  method?: "GET" | "POST";
  connections: number;
  seconds: number;
  /** Send exactly this many requests instead of running for `seconds`: every response is then counted. */
  amount?: number;
  orgs?: string[];
  body?: (org: string) => unknown;
}

export async function httpLoad(load: HttpLoad): Promise<LoadResult> {
  const orgs = load.orgs ?? [];
  let turn = 0;
  const result = await autocannon({
    url: load.url + load.path,
    method: load.method ?? "GET",
    connections: load.connections,
    ...(load.amount ? { amount: load.amount } : { duration: load.seconds }),
    // Generous: a request abandoned by the client may still be recorded, which would spoil the exactness count.
    timeout: 300,
    headers: { "content-type": "application/json" },
    requests: [
      {
        setupRequest: (request) => {
          if (!orgs.length) return request;
          const org = orgs[turn++ % orgs.length];
          return {
            ...request,
            headers: { ...request.headers, authorization: `Bearer ${benchKey(org)}` },
            body: load.body ? JSON.stringify(load.body(org)) : undefined,
          };
        },
      },
    ],
  });
  const ok = result["2xx"];
  const rejected = result.non2xx;
  return {
    perSecond: (ok + rejected) / result.duration,
    p99Ms: result.latency.p99,
    ok,
    rejected,
    errors: result.errors + result.timeouts,
  };
}

/**
 * A load whose every response is counted: after a warm-up, a short run estimates the rate,
 * then exactly rate x seconds requests are sent and all of them awaited (a
 * timed run would abandon the ones in flight at its end, which the server
 * still records).
 */
export async function countedLoad<T>(load: HttpLoad, beforeMeasuring: () => Promise<T>) {
  await httpLoad({ ...load, seconds: 2 }); // warm up: every org's terms and key cached, statements prepared
  const estimate = await httpLoad({ ...load, seconds: 2 });
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // let the abandoned requests land
  const before = await beforeMeasuring();
  const result = await httpLoad({ ...load, amount: Math.max(load.connections, Math.ceil(estimate.perSecond * load.seconds)) });
  return { result, before };
}

export const consumeBody = () => ({ metric: "api_calls", quantity: 1, idempotencyKey: uniqueKey("c") });

export const batchBody = (size: number) => () => ({
  events: Array.from({ length: size }, () => ({ metric: "api_calls", quantity: 1, idempotencyKey: uniqueKey("b") })),
});

/** Authorize + settle pairs from `connections` concurrent workers; returns pairs per second. */
export async function aiPairs(url: string, orgs: string[], connections: number, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  let pairs = 0;
  let failures = 0;
  const started = Date.now();
  const post = (path: string, org: string, body: unknown) =>
    fetch(url + path, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${benchKey(org)}` },
      body: JSON.stringify(body),
    });
  await Promise.all(
    Array.from({ length: connections }, async (_, worker) => {
      for (let i = worker; Date.now() < deadline; i += connections) {
        const org = orgs[i % orgs.length];
        const authorized = await post("/api/v1/ai/authorize", org, {
          userId: benchUser(org), feature: "chat", model: "gpt-4.1-mini", inputTokens: 500, maxOutputTokens: 500,
        });
        if (!authorized.ok) {
          failures++;
          await authorized.body?.cancel();
          continue;
        }
        const { authorizationId } = (await authorized.json()) as { authorizationId: string };
        const settled = await post("/api/v1/ai/settle", org, { authorizationId, inputTokens: 500, outputTokens: 200 });
        await settled.body?.cancel();
        if (settled.ok) pairs++;
        else failures++;
      }
    }),
  );
  return { perSecond: pairs / ((Date.now() - started) / 1000), pairs, failures };
}

/** Median and p90 of a page's full response time, in ms, over sequential requests. */
export async function pageTimes(url: string, cookie: string, count: number) {
  const times: number[] = [];
  for (let i = 0; i < count + 3; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
    const html = await response.text();
    if (response.status !== 200 || !html.includes("</html>")) throw new Error(`${url} answered ${response.status}`);
    if (i >= 3) times.push(performance.now() - started); // the first few warm the server up
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)] };
}
