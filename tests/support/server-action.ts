import { getAccessFallbackHTTPStatus, isHTTPAccessFallbackError } from "next/dist/client/components/http-access-fallback/http-access-fallback";
import { getURLFromRedirectError } from "next/dist/client/components/redirect";
import { isRedirectError } from "next/dist/client/components/redirect-error";

/**
 * Calls a form's server action as Next would, with FormData, and says how it
 * ended: a state for the form, a redirect, or an HTTP status (forbidden() and
 * friends), which is what a direct POST to the action would receive.
 */

export type ActionOutcome<State> = { state: State } | { redirect: string } | { status: number };

/** A useActionState action; the tests always start from its initial state, null. */
type FormAction<State> = (previous: never, form: FormData) => Promise<State>;

export async function submit<State>(action: FormAction<State>, fields: Record<string, string>): Promise<ActionOutcome<State>> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  try {
    return { state: await action(null as never, form) };
  } catch (error) {
    if (isRedirectError(error)) return { redirect: getURLFromRedirectError(error) };
    if (isHTTPAccessFallbackError(error)) return { status: getAccessFallbackHTTPStatus(error) };
    throw error;
  }
}
