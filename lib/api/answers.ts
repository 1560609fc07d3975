import { z } from "zod";
import { AI_FEATURES } from "@/lib/limits/ai-models";
import { METRIC_IDS } from "@/lib/limits/metrics";
import { PLAN_IDS } from "@/lib/limits/plans";
import { ERROR_STATUS, type ErrorCode } from "./error-codes";

/**
 * What the enforcement API answers, as zod schemas: the OpenAPI document is
 * generated from them (lib/api/openapi.ts), and the contract test checks every
 * real answer against them, so a field added to an answer without its schema
 * fails a test instead of drifting from the document.
 */

const metric = z.enum(METRIC_IDS);
const limit = z.number().int().nullable().meta({ description: "null: unlimited." });
const capKind = z.enum(["hard", "soft", "observe"]);
const instant = z.iso.datetime();

export const usageDecision = z
  .strictObject({
    allowed: z.boolean(),
    metric,
    used: z.number().int().meta({ description: "The counter after this request (or, for check, as it would be)." }),
    limit,
    remaining: z.number().int().nullable(),
    percent: z.number(),
    capKind,
    resetsAt: instant.nullable().meta({ description: "When the counter resets; null for cumulative metrics." }),
  })
  .meta({ id: "UsageDecision" });

export const errorBody = z
  .strictObject({
    error: z.looseObject({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
    }).meta({ description: "Some errors carry details beside code and message: zod's `issues`, or the counter's `metric`, `used`, `limit` and `resetsAt`." }),
  })
  .meta({ id: "Error" });

const batchResult = z.union([
  usageDecision.extend({ status: z.literal(200) }),
  z.strictObject({ status: z.number().int(), error: errorBody.shape.error }),
]);

export const usageBatchAnswer = z
  .strictObject({
    admitted: z.number().int(),
    denied: z.number().int(),
    results: z.array(batchResult).meta({ description: "One per event, in order: its status and the body consume would answer." }),
  })
  .meta({ id: "UsageBatchAnswer" });

export const aiAuthorization = z
  .strictObject({
    authorizationId: z.string(),
    holdMicros: z.number().int().meta({ description: "Micro-dollars held for the call at its most expensive." }),
    expiresAt: instant,
  })
  .meta({ id: "AiAuthorization" });

export const aiSettlement = z
  .strictObject({
    authorizationId: z.string(),
    status: z.literal("settled"),
    feature: z.enum(AI_FEATURES),
    tier: z.string().meta({ description: "The model's tier label; model names are never shown to people." }),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costMicros: z.number().int(),
    creditMicros: z.number().int().meta({ description: "The part of the cost drawn from prepaid credits." }),
  })
  .meta({ id: "AiSettlement" });

export const aiRelease = z
  .strictObject({ authorizationId: z.string(), status: z.enum(["released", "expired"]) })
  .meta({ id: "AiRelease" });

const forecast = z
  .strictObject({
    projectedUsed: z.number().int().meta({ description: "The total at the end of the billing cycle at this cycle's steady rate so far." }),
    reachesLimitOn: z.iso.date().nullable().meta({ description: "The UTC day the limit is reached at this pace; null when it is not reached this cycle." }),
  })
  .nullable()
  .meta({ id: "UsageForecast", description: "Null when nothing caps the meter, for cumulative meters, and in a cycle's first three days." });

const meter = z.strictObject({
  metric,
  label: z.string(),
  group: z.enum(["core", "activity", "data", "ai"]),
  capKind,
  unit: z.enum(["count", "bytes", "micros", "tokens"]),
  cumulative: z.boolean(),
  used: z.number().int(),
  limit,
  percent: z.number(),
  resetsAt: instant.nullable(),
  history: z.array(z.number().int()).meta({ description: "The last six billing periods, oldest first." }),
  blocked: z.number().int(),
  forecast,
});

const memberUsage = z.strictObject({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.string(),
  seatType: z.string(),
  ai: z.strictObject({ usedMicros: z.number().int(), allocationMicros: z.number().int().nullable(), blocked: z.number().int() }),
  enrichments: z.strictObject({ used: z.number().int(), allocation: z.number().int().nullable(), blocked: z.number().int() }),
});

export const usageSnapshot = z
  .strictObject({
    org: z.strictObject({
      id: z.string(),
      name: z.string(),
      plan: z.enum(PLAN_IDS),
      planName: z.string(),
      billingInterval: z.enum(["month", "year"]),
      subscriptionStatus: z.string(),
      aiPaused: z.boolean(),
      previewFlag: z.boolean(),
      monthlyPriceMicros: z.number().int(),
      annualPriceMicros: z.number().int(),
    }),
    asOf: instant.meta({ description: "When the figures were read." }),
    period: z.strictObject({ start: instant, end: instant }),
    ai: z.strictObject({
      limitMicros: limit,
      usedMicros: z.number().int(),
      heldMicros: z.number().int(),
      percent: z.number(),
      creditBalanceMicros: z.number().int(),
      byFeature: z.array(
        z.strictObject({ feature: z.enum(AI_FEATURES), label: z.string(), tier: z.string().nullable(), spentMicros: z.number().int() }),
      ),
      blocked: z.number().int(),
      forecast,
      nextCreditExpiry: z
        .strictObject({ amountMicros: z.number().int(), expiresAt: instant })
        .nullable()
        .meta({ description: "The prepaid credits that expire first, and when; null when no credits expire." }),
    }),
    meters: z.array(meter),
    members: z.array(memberUsage).meta({ description: "Every member, in the order they joined." }),
    memberCount: z.number().int(),
    seats: z.strictObject({ power: z.number().int(), collaborator: z.number().int() }).meta({ description: "Seats members take, by type." }),
    historyPeriods: z.array(z.string()),
  })
  .meta({ id: "UsageSnapshot" });

export const healthAnswer = z.strictObject({ ok: z.literal(true), service: z.literal("ledgerline") });
export const readinessAnswer = z.strictObject({ ready: z.literal(true) });

/** One row of a usage export as JSON; which keys are present depends on groupBy and on whether the reader sees dollars. */
export const usageExportRow = z
  .strictObject({
    date: z.iso.date().optional().meta({ description: "groupBy=day: the UTC day." }),
    member_id: z.string().nullable().optional().meta({ description: "groupBy=member; null for usage recorded without a member." }),
    member_email: z.string().nullable().optional(),
    member_name: z.string().nullable().optional(),
    feature: z.enum(AI_FEATURES).optional().meta({ description: "groupBy=feature." }),
    metric,
    unit: z.enum(["count", "bytes", "micros", "tokens"]),
    quantity: z.number().int().meta({ description: "The net quantity admitted in the range, in the metric's unit (ai_budget: micro-dollars)." }),
    amount_usd: z
      .string()
      .regex(/^-?\d+\.\d{6}$/)
      .nullable()
      .optional()
      .meta({ description: "ai_budget rows: the same amount as exact decimal dollars; null on other rows. Absent for readers who do not see dollars." }),
  })
  .meta({ id: "UsageExportRow" });

export const usageExportAnswer = z.array(usageExportRow).meta({ id: "UsageExport", description: "format=json: a JSON array of rows, streamed." });
