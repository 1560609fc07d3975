import { z } from "zod";
import { AI_FEATURES } from "@/lib/limits/ai-models";
import { MODEL_ID } from "@/lib/limits/model-catalog";
import { METRIC_IDS } from "@/lib/limits/metrics";

/** Request bodies of the enforcement API. Unknown fields are rejected, not ignored. */

const MAX_QUANTITY = 1_000_000_000_000_000; // 1e15: far above any cap, still an exact integer.
const MAX_TOKENS = 10_000_000;

// Ids and keys are stored and compared as text: a control character (NUL above all, which Postgres cannot store) is refused here, for this request alone.
const id = z.string().trim().min(1).max(200).regex(/^\P{Cc}*$/u, "Must not contain control characters.");
const tokens = z.number().int().min(0).max(MAX_TOKENS);

export const usageCheckBody = z.strictObject({
  metric: z.enum(METRIC_IDS),
  quantity: z.number().int().min(-MAX_QUANTITY).max(MAX_QUANTITY),
  userId: id.optional(),
});

export const usageConsumeBody = usageCheckBody.extend({ idempotencyKey: id });

export const aiAuthorizeBody = z.strictObject({
  userId: id,
  feature: z.enum(AI_FEATURES),
  // Any id of the shape; one the model catalog does not hold is 422 unknown_model, naming it.
  model: z.string().regex(MODEL_ID, "Must be a model id."),
  inputTokens: tokens,
  maxOutputTokens: tokens,
});

export const aiSettleBody = z.strictObject({
  authorizationId: id,
  inputTokens: tokens,
  outputTokens: tokens,
});

export const aiReleaseBody = z.strictObject({ authorizationId: id });

export const MAX_BATCH_EVENTS = 1_000;

export const usageBatchBody = z.strictObject({
  events: z.array(usageConsumeBody).min(1).max(MAX_BATCH_EVENTS),
});

/** The longest span one usage export covers, in days (from and to inclusive). */
export const MAX_EXPORT_DAYS = 366;
export const EXPORT_GROUPINGS = ["day", "metric", "member", "feature"] as const;
export const EXPORT_FORMATS = ["csv", "json"] as const;

/** A UTC date as YYYY-MM-DD that exists on the calendar (no Feb 30), from the store's epoch on. */
const utcDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Must be a date as YYYY-MM-DD.")
  .refine((text) => {
    const at = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(at.getTime()) && at.getTime() >= 0 && at.toISOString().slice(0, 10) === text;
  }, "Must be a real calendar date, from 1970-01-01 on.");

/** GET /api/v1/usage/export's query (and the Usage page's download): unknown parameters are refused, like unknown body fields. */
export const usageExportQuery = z.strictObject({
  from: utcDate.optional().meta({ description: "First UTC day, inclusive. Default: the current billing cycle's start (to the instant)." }),
  to: utcDate.optional().meta({ description: "Last UTC day, inclusive. Default: the current billing cycle's end (to the instant)." }),
  groupBy: z.enum(EXPORT_GROUPINGS).default("day").meta({ description: "One row per (day, metric), metric, (member, metric) or (AI feature, metric)." }),
  format: z.enum(EXPORT_FORMATS).default("csv"),
});
