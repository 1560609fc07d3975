import type { components, paths } from "./api.js";
import { LedgerlineUnavailableError } from "./errors.js";
import { createTransport, type TransportOptions } from "./transport.js";

type Schemas = components["schemas"];
type JsonBody<P extends keyof paths> = paths[P] extends { post: { requestBody?: { content: { "application/json": infer B } } } } ? B : never;

export type UsageDecision = Schemas["UsageDecision"];
export type UsageBatchAnswer = Schemas["UsageBatchAnswer"];
export type UsageSnapshot = Schemas["UsageSnapshot"];
export type AiAuthorization = Schemas["AiAuthorization"];
export type AiSettlement = Schemas["AiSettlement"];
export type AiRelease = Schemas["AiRelease"];
export type UsageExportRow = Schemas["UsageExport"][number];
type ExportQuery = NonNullable<paths["/api/v1/usage/export"]["get"]["parameters"]["query"]>;
/** The export's window and grouping; the client always asks for JSON rows. */
export type UsageExportRequest = Omit<ExportQuery, "format">;

type WithOptionalKey<T> = Omit<T, "idempotencyKey"> & { idempotencyKey?: string };
export type ConsumeRequest = WithOptionalKey<JsonBody<"/api/v1/usage/consume">>;
export type CheckRequest = JsonBody<"/api/v1/usage/check">;
export type BatchEvent = WithOptionalKey<JsonBody<"/api/v1/usage/batch">["events"][number]>;
export type AiAuthorizeRequest = JsonBody<"/api/v1/ai/authorize">;
export type AiSettleRequest = JsonBody<"/api/v1/ai/settle">;

/** What consume and check answer when Ledgerline could not be reached and the client was made with `failOpen`: allowed, recorded nowhere. */
export interface FailedOpen {
  allowed: true;
  failedOpen: true;
  metric: ConsumeRequest["metric"];
}

/** What `withAiBudget`'s function reports: its result and the tokens the call used. */
export interface AiCallOutcome<T> {
  result: T;
  outputTokens: number;
  /** Defaults to the authorized inputTokens. */
  inputTokens?: number;
}

export interface LedgerlineClientOptions extends TransportOptions {
  /**
   * When Ledgerline cannot be reached (after the retries): false (the default)
   * fails closed, throwing LedgerlineUnavailableError; true lets the work
   * proceed and records nothing (consume and check answer FailedOpen,
   * withAiBudget runs the call without a hold and returns no settlement).
   */
  failOpen?: boolean;
}

export function createLedgerline(options: LedgerlineClientOptions) {
  const request = createTransport(options);
  const failOpen = options.failOpen ?? false;

  async function orFailOpen<T>(call: () => Promise<T>, metric: ConsumeRequest["metric"]): Promise<T | FailedOpen> {
    try {
      return await call();
    } catch (error) {
      if (failOpen && error instanceof LedgerlineUnavailableError) return { allowed: true, failedOpen: true, metric };
      throw error;
    }
  }

  const client = {
    /** Records usage if it fits: all or nothing. The key is made here when not given, and kept across the client's retries. */
    consume(usage: ConsumeRequest): Promise<UsageDecision | FailedOpen> {
      const body = { ...usage, idempotencyKey: usage.idempotencyKey ?? crypto.randomUUID() };
      return orFailOpen(() => request<UsageDecision>("POST", "/api/v1/usage/consume", body, "idempotent"), usage.metric);
    },

    /** Whether the usage would be admitted now; records nothing. */
    check(usage: CheckRequest): Promise<UsageDecision | FailedOpen> {
      return orFailOpen(() => request<UsageDecision>("POST", "/api/v1/usage/check", usage, "idempotent"), usage.metric);
    },

    /** Up to 1,000 events, each all or nothing with its own answer; keys made here where not given. */
    batch(events: BatchEvent[]): Promise<UsageBatchAnswer> {
      const body = { events: events.map((event) => ({ ...event, idempotencyKey: event.idempotencyKey ?? crypto.randomUUID() })) };
      return request<UsageBatchAnswer>("POST", "/api/v1/usage/batch", body, "idempotent");
    },

    /** Holds AI budget for one call. Retried only when nothing was held (a refused connection, 503): a repeat would hold twice. */
    authorizeAi(call: AiAuthorizeRequest): Promise<AiAuthorization> {
      return request<AiAuthorization>("POST", "/api/v1/ai/authorize", call, "once");
    },

    /** Charges the tokens used and frees the rest of the hold; a retry answers the same settlement. */
    settleAi(settle: AiSettleRequest): Promise<AiSettlement> {
      return request<AiSettlement>("POST", "/api/v1/ai/settle", settle, "idempotent");
    },

    /** Gives the hold back unused. */
    releaseAi(authorizationId: string): Promise<AiRelease> {
      return request<AiRelease>("POST", "/api/v1/ai/release", { authorizationId }, "idempotent");
    },

    /**
     * The usage behind the snapshot as rows (GET /api/v1/usage/export with format=json): by
     * default this cycle by day; `from`/`to` are UTC days, inclusive. For files, fetch the
     * endpoint's CSV directly: it streams, where this reads the whole answer.
     */
    exportUsage(query: UsageExportRequest = {}): Promise<UsageExportRow[]> {
      const params = new URLSearchParams({ ...query, format: "json" } as Record<string, string>);
      return request<UsageExportRow[]>("GET", `/api/v1/usage/export?${params}`, undefined, "idempotent");
    },

    /** The org's usage snapshot: what Settings > Usage shows. */
    usage(): Promise<UsageSnapshot> {
      return request<UsageSnapshot>("GET", "/api/v1/usage", undefined, "idempotent");
    },

    /**
     * Authorizes, runs `run`, then settles with the tokens it reports; releases
     * the hold when `run` throws (and rethrows). A refusal is a typed error before
     * `run` starts: LedgerlineLimitError (429) or LedgerlinePausedError (402).
     */
    async withAiBudget<T>(call: AiAuthorizeRequest, run: (hold: AiAuthorization) => Promise<AiCallOutcome<T>>): Promise<{ result: T; settlement: AiSettlement | null }> {
      let hold: AiAuthorization;
      try {
        hold = await client.authorizeAi(call);
      } catch (error) {
        if (failOpen && error instanceof LedgerlineUnavailableError) {
          const { result } = await run({ authorizationId: "", holdMicros: 0, expiresAt: new Date().toISOString() });
          return { result, settlement: null };
        }
        throw error;
      }
      let outcome: AiCallOutcome<T>;
      try {
        outcome = await run(hold);
      } catch (error) {
        // The hold expires on its own if the release cannot be made: the caller's error is what matters here.
        await client.releaseAi(hold.authorizationId).catch(() => undefined);
        throw error;
      }
      const settlement = await client
        .settleAi({ authorizationId: hold.authorizationId, inputTokens: outcome.inputTokens ?? call.inputTokens, outputTokens: outcome.outputTokens })
        .catch((error: unknown) => {
          if (failOpen && error instanceof LedgerlineUnavailableError) return null;
          throw error;
        });
      return { result: outcome.result, settlement };
    },
  };
  return client;
}

export type LedgerlineClient = ReturnType<typeof createLedgerline>;
