"use server";

import { allocationForm } from "@/lib/admin/allocation-form";
import { setAllocations } from "@/lib/admin/allocations";
import { USAGE_LIMITS_PATH } from "@/lib/admin/paths";
import { formOutcome, parseForm, requireFormMember, type FormState } from "@/lib/auth/form-action";
import { isAdmin } from "@/lib/auth/roles";
import { db } from "@/lib/db";

/** Sets, raises, lowers or removes one member's allocations (blank: shares the org pool). */
export async function saveAllocations(_previous: FormState, form: FormData): Promise<FormState> {
  const actor = await requireFormMember(form, USAGE_LIMITS_PATH, isAdmin);
  const parsed = parseForm(allocationForm, form);
  if ("state" in parsed) return parsed.state;
  const { userId, aiDollars, enrichments } = parsed.data;
  return formOutcome(form, async () => {
    await setAllocations(db(), actor, {
      userId,
      aiAllocationMicros: aiDollars,
      enrichmentAllocation: enrichments,
    });
    return { tone: "success", message: "Saved. The next API call uses the new allocation." };
  }, [USAGE_LIMITS_PATH, "/settings/usage"]);
}
