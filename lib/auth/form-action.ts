import "server-only";
import { revalidatePath } from "next/cache";
import { forbidden } from "next/navigation";
import type { z } from "zod";
import type { Actor } from "@/lib/admin/actor";
import { ApiError } from "@/lib/api/errors";
import type { Role } from "./roles";
import { requireSession } from "./session";

/**
 * The pattern every form's server action follows: find the member behind the
 * request, check their role, parse the form with zod, call the domain, and
 * answer with a message for the form. A page that hides a form is no guard, so
 * the action checks for itself and a direct call gets no further than a click.
 */

/** What a form shows after its action: nothing yet, a confirmation, or what to fix (per field when known). */
export type FormState = {
  tone: "success" | "error";
  message: string;
  fields?: Record<string, string>;
  /** Shown once and never again: a new API key. */
  secret?: string;
  /** What was typed, given back on an error: React resets a form after its action, and the fix starts from it. */
  values?: Record<string, string>;
} | null;

/**
 * The signed-in member, allowed by `may`, acting on the org the form was
 * rendered for. Signed out: to sign-in and back to `page`. Any other role, or a
 * form naming another org (forged, or rendered for another session): 403.
 */
export async function requireFormMember(form: FormData, page: string, may: (role: Role) => boolean): Promise<Actor> {
  const session = await requireSession(page);
  if (!may(session.role) || form.get("orgId") !== session.orgId) forbidden();
  return { userId: session.user.id, orgId: session.orgId, role: session.role };
}

/** The form's own fields (React adds $ACTION_ keys of its own). */
export function formFields(form: FormData): Record<string, string> {
  return Object.fromEntries([...form.entries()].filter(([name, value]) => !name.startsWith("$ACTION") && typeof value === "string")) as Record<string, string>;
}

export function parseForm<S extends z.ZodType>(schema: S, form: FormData): { data: z.infer<S> } | { state: FormState } {
  const parsed = schema.safeParse(formFields(form));
  if (parsed.success) return { data: parsed.data };
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message;
  return { state: { tone: "error", message: parsed.error.issues[0]?.message ?? "The form is not valid.", fields, values: formFields(form) } };
}

/**
 * Runs the domain call. Its refusals (ApiError) become the form's message, on
 * the field they name; a refusal for lack of rights is a 403 like the role
 * check. On success the pages that show the change are revalidated.
 */
export async function formOutcome(form: FormData, run: () => Promise<Exclude<FormState, null>>, revalidate: string[]): Promise<FormState> {
  try {
    const state = await run();
    for (const path of revalidate) revalidatePath(path);
    return state;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === "forbidden") forbidden();
    const field = typeof error.details.field === "string" ? error.details.field : null;
    return { tone: "error", message: error.message, fields: field ? { [field]: error.message } : undefined, values: formFields(form) };
  }
}
