import autocannon from "autocannon";
import { benchKey, benchUser } from "./fixtures";

/** Load generation over loopback, with autocannon for every row. */

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
  // Warm up: statements prepared, and every org's terms, key and counters made and cached. Each run
  // starts from the first org, so a slow store's two seconds may not reach the last ones: a last
  // round sends each org one request.
  await httpLoad({ ...load, seconds: 2 });
  if (load.orgs && load.orgs.length > load.connections) await httpLoad({ ...load, amount: load.orgs.length });
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

const AI_CALL = { feature: "chat", model: "gpt-4.1-mini", inputTokens: 500, maxOutputTokens: 500 };

interface PairContext {
  org: string;
  startedAt: number;
  authorizationId?: string;
}

/**
 * Authorize + settle pairs on the same load generator as every other row
 * (autocannon): each connection authorizes, then settles the hold it got.
 * Sends exactly `amount` requests when given, so that every pair is counted.
 */
async function aiPairRun(url: string, orgs: string[], connections: number, run: { seconds: number } | { amount: number }) {
  let turn = 0;
  let pairs = 0;
  const pairMs: number[] = [];
  const bearer = (org: string) => `Bearer ${benchKey(org)}`;
  const result = await autocannon({
    url,
    connections,
    ...("amount" in run ? { amount: run.amount } : { duration: run.seconds }),
    timeout: 300,
    headers: { "content-type": "application/json" },
    requests: [
      {
        method: "POST",
        path: "/api/v1/ai/authorize",
        setupRequest: (request, context) => {
          const pair = context as PairContext;
          pair.org = orgs[turn++ % orgs.length];
          pair.startedAt = performance.now();
          return { ...request, headers: { ...request.headers, authorization: bearer(pair.org) }, body: JSON.stringify({ userId: benchUser(pair.org), ...AI_CALL }) };
        },
        onResponse: (status, body, context) => {
          (context as PairContext).authorizationId = status === 200 ? (JSON.parse(body) as { authorizationId: string }).authorizationId : undefined;
        },
      },
      {
        method: "POST",
        path: "/api/v1/ai/settle",
        setupRequest: (request, context) => {
          const pair = context as PairContext;
          const authorizationId = pair.authorizationId ?? "auth_refused";
          return { ...request, headers: { ...request.headers, authorization: bearer(pair.org) }, body: JSON.stringify({ authorizationId, inputTokens: 500, outputTokens: 200 }) };
        },
        onResponse: (status, _body, context) => {
          if (status !== 200) return;
          pairs++;
          pairMs.push(performance.now() - (context as PairContext).startedAt);
        },
      },
    ],
  });
  pairMs.sort((a, b) => a - b);
  return {
    perSecond: pairs / result.duration,
    p99Ms: Math.round(pairMs[Math.floor(pairMs.length * 0.99)] ?? 0),
    pairs,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * AI pairs with every one counted, as countedLoad does for consume: a warm-up,
 * an estimate, then exactly that many pairs, all awaited. The p99 is of whole
 * pairs (authorize sent to settle answered).
 */
export async function aiPairs<T>(url: string, orgs: string[], connections: number, seconds: number, beforeMeasuring: () => Promise<T>) {
  await aiPairRun(url, orgs, connections, { seconds: 2 });
  if (orgs.length > connections) await aiPairRun(url, orgs, connections, { amount: 2 * orgs.length }); // every org warm, as in countedLoad
  const estimate = await aiPairRun(url, orgs, connections, { seconds: 2 });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const before = await beforeMeasuring();
  const pairs = Math.max(connections, Math.ceil(estimate.perSecond * seconds));
  return { result: await aiPairRun(url, orgs, connections, { amount: 2 * pairs }), before };
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
