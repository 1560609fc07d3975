import { describe, expect, it } from "vitest";
import { POST as authorize } from "@/app/api/v1/ai/authorize/route";
import { POST as release } from "@/app/api/v1/ai/release/route";
import { POST as settle } from "@/app/api/v1/ai/settle/route";
import { GET as usage } from "@/app/api/v1/usage/route";
import { POST as consume } from "@/app/api/v1/usage/consume/route";
import { listApiKeys } from "@/lib/admin/api-keys-view";
import { createOrgApiKey, revokeOrgApiKey } from "@/lib/admin/org-api-keys";
import { hashApiKey } from "@/lib/auth/api-keys";
import { call } from "../support/api";
import { createOrg } from "../support/store";

let n = 0;

describe("org API keys", () => {
  it("are shown once, stored hashed, listed with who made them and when they were last used", async () => {
    const { orgId, db, members } = await createOrg({ members: [{ role: "admin" }] });
    const admin = { userId: members[0], orgId, role: "admin" as const };
    const { id, key, prefix } = await createOrgApiKey(db, admin, { name: "CRM production" });
    const stored = await db.apiKey.findUniqueOrThrow({ where: { id } });
    expect(stored.keyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(key.startsWith(prefix)).toBe(true);

    expect((await call(usage, key, undefined, { method: "GET" })).status).toBe(200);
    const [row] = await listApiKeys(db, orgId);
    expect(row).toMatchObject({ name: "CRM production", prefix: `${prefix}…`, createdBy: members[0], revokedOn: null });
    expect(row.lastUsed).not.toBe("Never");
  });

  it("are refused with 401 from the next call once revoked, on every route", async () => {
    const { orgId, db, members } = await createOrg({ members: [{ role: "admin" }] });
    const admin = { userId: members[0], orgId, role: "admin" as const };
    const { id, key } = await createOrgApiKey(db, admin, { name: "to revoke" });
    // Warm every cache the enforcement paths keep (key -> org, org terms, members).
    expect((await call(consume, key, { metric: "api_calls", quantity: 1, idempotencyKey: `k-${n++}` })).status).toBe(200);
    const ai = { userId: members[0], feature: "chat", model: "gpt-4.1", inputTokens: 100, maxOutputTokens: 100 };
    const { authorizationId } = (await call(authorize, key, ai)).json;
    expect(authorizationId).toBeTruthy();

    await revokeOrgApiKey(db, admin, id);
    expect((await call(consume, key, { metric: "api_calls", quantity: 1, idempotencyKey: `k-${n++}` })).status).toBe(401);
    expect((await call(usage, key, undefined, { method: "GET" })).status).toBe(401);
    expect((await call(authorize, key, ai)).status).toBe(401);
    expect((await call(settle, key, { authorizationId, inputTokens: 100, outputTokens: 10 })).status).toBe(401);
    expect((await call(release, key, { authorizationId })).status).toBe(401);
    expect((await db.aiAuthorization.findUniqueOrThrow({ where: { orgId_id: { orgId, id: authorizationId } } })).status).toBe("held");
    await expect(revokeOrgApiKey(db, admin, id)).rejects.toMatchObject({ code: "not_found" });
    expect((await db.auditEntry.findMany({ where: { orgId }, orderBy: { id: "asc" } })).map((e) => e.action)).toEqual(["api_key_created", "api_key_revoked"]);
  });

  it("cannot be revoked from another org", async () => {
    const { orgId, db, members } = await createOrg({ members: [{ role: "admin" }] });
    const { id } = await createOrgApiKey(db, { userId: members[0], orgId, role: "admin" }, { name: "mine" });
    const other = await createOrg({ members: [{ role: "admin" }] });
    await expect(revokeOrgApiKey(db, { userId: other.members[0], orgId: other.orgId, role: "admin" }, id)).rejects.toMatchObject({ code: "not_found" });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id } })).revokedAt).toBeNull();
  });
});
