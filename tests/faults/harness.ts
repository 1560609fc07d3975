import { randomUUID } from "node:crypto";
import { Agent, request, type ClientRequest } from "node:http";
import { startServer, type RunningServer } from "@/scripts/production-server";
import { createApiKey } from "../support/api";
import { createOrg } from "../support/store";

/** The build the fault suites run (made by ./build.ts): its own folder, so no stale dev or e2e build is ever tested. */
export const DIST_DIR = ".next-faults";

let nextPort = 3400;

export async function startApp(databaseUrl: string, env: Record<string, string> = {}): Promise<RunningServer & { port: number }> {
  const port = nextPort++;
  const server = await startServer(port, appEnv(databaseUrl, env));
  return Object.assign(server, { port });
}

/** What the fault suites' servers encrypt session tokens with (a production server refuses a short one). */
export const FAULTS_AUTH_SECRET = "faults-secret-not-for-production-use";

const appEnv = (databaseUrl: string, env: Record<string, string>) =>
  ({ DATABASE_URL: databaseUrl, AUTH_SECRET: FAULTS_AUTH_SECRET, AUTH_TRUST_HOST: "true", NEXT_DIST_DIR: DIST_DIR, ...env });

export async function restartApp(port: number, databaseUrl: string, env: Record<string, string> = {}) {
  const server = await startServer(port, appEnv(databaseUrl, env));
  return Object.assign(server, { port });
}

export async function faultOrg() {
  const org = await createOrg({
    plan: "ultra",
    overrides: { api_calls: 10_000_000, emails_sent: 10_000_000, ai_budget: 1_000_000_000_000 },
    members: [{}],
  });
  return { ...org, key: await createApiKey(org.orgId) };
}

export interface Sent {
  idempotencyKey: string;
  status: number | "network_error";
  body?: Record<string, unknown>;
  retryAfter?: string | null;
}

export async function postJson(url: string, key: string, body: unknown) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any>, retryAfter: response.headers.get("retry-after") };
}

/**
 * `workers` clients sending consumes with fresh idempotency keys until
 * `until()` says stop; `sent` fills as answers arrive.
 */
export function consumeLoad(url: () => string, key: string, workers: number, until: () => boolean) {
  const sent: Sent[] = [];
  const done = Promise.all(
    Array.from({ length: workers }, async () => {
      while (!until()) {
        const idempotencyKey = randomUUID();
        try {
          const res = await postJson(`${url()}/api/v1/usage/consume`, key, { metric: "api_calls", quantity: 1, idempotencyKey });
          sent.push({ idempotencyKey, status: res.status, body: res.body, retryAfter: res.retryAfter });
        } catch {
          sent.push({ idempotencyKey, status: "network_error" });
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }),
  ).then(() => sent);
  return { sent, done };
}

/** Waits until `count` answers satisfy `test` (a cold server takes a moment to serve its first requests). */
export async function waitFor(sent: Sent[], count: number, test: (s: Sent) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (sent.filter(test).length < count) {
    if (Date.now() > deadline) throw new Error(`Only ${sent.filter(test).length} of ${count} expected answers arrived`);
    await sleep(50);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Answer {
  status: number | "network_error";
  ms: number;
}

/** Requests from one loopback address (127.0.0.x), kept alive like a real client's. */
export function clientAt(localAddress: string, base: string) {
  const agent = new Agent({ keepAlive: true, localAddress, maxSockets: 16 });
  return {
    send(path: string, headers: Record<string, string>, body: string | ((req: ClientRequest) => void)): Promise<Answer> {
      const started = performance.now();
      return new Promise((resolve) => {
        const req = request(`${base}${path}`, { method: "POST", agent, headers }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
        });
        req.on("error", () => resolve({ status: "network_error", ms: performance.now() - started }));
        // An answer that never comes counts as a failure instead of stalling the soak.
        req.setTimeout(15_000, () => req.destroy());
        if (typeof body === "string") req.end(body);
        else body(req);
      });
    },
    close: () => agent.destroy(),
  };
}
