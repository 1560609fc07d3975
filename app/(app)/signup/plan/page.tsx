import type { Metadata } from "next";
import { PlanPicker } from "@/components/billing/plan-picker";
import { PageHeader } from "@/components/ui/page-header";
import { AskToUpgrade } from "@/components/billing/ask-to-upgrade";
import { isAdmin } from "@/lib/auth/roles";
import { requireSession } from "@/lib/auth/session";
import { planCatalog } from "@/lib/billing-view";
import { db } from "@/lib/db";
import { storedPlan } from "@/lib/db/stored-values";
import { mayAskToUpgrade } from "@/lib/plan-upgrade";

export const metadata: Metadata = { title: "Choose your plan · Ledgerline" };

export default async function ChoosePlanPage() {
  const session = await requireSession("/signup/plan");
  const org = await db().org.findUniqueOrThrow({ where: { id: session.orgId }, select: { plan: true, subscriptionStatus: true } });
  const plan = storedPlan(org.plan);
  return (
    <>
      <PageHeader trail={["Signup", "Choose your plan"]} title="Choose your plan" description="Every paid plan raises all limits; AI and seats grow with it." />
      <PlanPicker plans={planCatalog()} current={plan} canChoose={isAdmin(session.role)} />
      {!isAdmin(session.role) && (
        <div className="mt-4 space-y-3">
          <p className="text-sm text-slate-500">Only admins can change the plan.</p>
          {mayAskToUpgrade(session.role, plan, org.subscriptionStatus) && <AskToUpgrade orgId={session.orgId} />}
        </div>
      )}
    </>
  );
}
