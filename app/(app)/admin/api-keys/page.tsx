import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { ApiKeyForm } from "@/components/admin/api-key-form";
import { ApiKeysTable } from "@/components/admin/api-keys-table";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { listApiKeys } from "@/lib/admin/api-keys-view";
import { API_KEYS_PATH } from "@/lib/admin/paths";
import { isAdmin } from "@/lib/auth/roles";
import { requireSession } from "@/lib/auth/session";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "API keys · Ledgerline" };

export default async function ApiKeysPage() {
  const session = await requireSession(API_KEYS_PATH);
  if (!isAdmin(session.role)) forbidden();
  const keys = await listApiKeys(db(), session.orgId);
  return (
    <>
      <PageHeader trail={["Admin", "API keys"]} title="API keys" description="Keys your servers send as Authorization: Bearer <key> to the enforcement API." />
      <div className="grid gap-6">
        <Card aria-labelledby="new-key-title" className="p-5 sm:p-6">
          <CardHeader id="new-key-title" title="Create a key" description="The key is shown once, right after you create it; only its hash is stored." />
          <div className="mt-4">
            <ApiKeyForm orgId={session.orgId} />
          </div>
        </Card>
        <Card aria-labelledby="keys-title" className="p-5 sm:p-6">
          <CardHeader id="keys-title" title="Keys" description="A revoked key is refused (401) from its next request." />
          <ApiKeysTable orgId={session.orgId} keys={keys} />
        </Card>
      </div>
    </>
  );
}
