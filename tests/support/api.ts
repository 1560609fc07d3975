import { randomBytes } from "node:crypto";
import { hashApiKey } from "@/lib/auth/api-keys";
import { testStore } from "./store";

/** Issues an API key for an org, stored hashed as the app stores them. */
export async function createApiKey(orgId: string) {
  const store = await testStore();
  const key = `ll_test_${randomBytes(16).toString("hex")}`;
  await store.prisma.apiKey.create({ data: { id: `key_${randomBytes(8).toString("hex")}`, orgId, name: "test", keyHash: hashApiKey(key), prefix: key.slice(0, 12) } });
  return key;
}

type Handler = (request: Request) => Promise<Response>;

/** Calls a route handler the way Next does: a real Request in, a real Response out. */
export async function call(
  handler: Handler,
  key: string | null,
  body?: unknown,
  init: { raw?: string; method?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json", ...init.headers };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await handler(
    new Request("http://localhost/api", {
      method: init.method ?? "POST",
      headers,
      body: init.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    }),
  );
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> };
}
