import type { APIRequestContext } from "@playwright/test";
import { expect } from "@playwright/test";

/** Spends AI budget for a member through the public API with the org's key, as a customer's backend would. */
export async function spendAi(request: APIRequestContext, apiKey: string, userId: string, body: { model: string; inputTokens: number }) {
  const headers = { authorization: `Bearer ${apiKey}` };
  const authorized = await request.post("/api/v1/ai/authorize", {
    headers,
    data: { userId, feature: "chat", model: body.model, inputTokens: body.inputTokens, maxOutputTokens: 0 },
  });
  expect(authorized.status(), await authorized.text()).toBe(200);
  const { authorizationId } = await authorized.json();
  const settled = await request.post("/api/v1/ai/settle", { headers, data: { authorizationId, inputTokens: body.inputTokens, outputTokens: 0 } });
  expect(settled.status(), await settled.text()).toBe(200);
}
