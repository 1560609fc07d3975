import type { Metadata } from "next";
import { PlanPicker } from "@/components/billing/plan-picker";
import { PageHeader } from "@/components/ui/page-header";
import { canManagePlan } from "@/lib/auth/roles";
import { requireSession } from "@/lib/auth/session";
import { planCatalog } from "@/lib/billing-view";
import { db } from "@/lib/db";
import { storedPlan } from "@/lib/db/stored-values";

export const metadata: Metadata = { title: "Choose your plan · Ledgerline" };

export default async function ChoosePlanPage() {
  const session = await requireSession("/signup/plan");
  const org = await db().org.findUniqueOrThrow({ where: { id: session.orgId }, select: { plan: true } });
  return (
    <>
      <PageHeader trail={["Signup", "Choose your plan"]} title="Choose your plan" description="Every paid plan raises all limits; AI and seats grow with it." />
      <PlanPicker plans={planCatalog()} current={storedPlan(org.plan)} canChoose={canManagePlan(session.role)} />
      {!canManagePlan(session.role) && <p className="mt-4 text-sm text-slate-500">Ask a manager or admin to change the plan.</p>}
    </>
  );
}
