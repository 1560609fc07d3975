export { createLedgerline } from "./client.js";
export type {
  AiAuthorization,
  AiAuthorizeRequest,
  AiCallOutcome,
  AiRelease,
  AiSettleRequest,
  AiSettlement,
  BatchEvent,
  CheckRequest,
  ConsumeRequest,
  FailedOpen,
  LedgerlineClient,
  LedgerlineClientOptions,
  UsageBatchAnswer,
  UsageDecision,
  UsageExportRequest,
  UsageExportRow,
  UsageSnapshot,
} from "./client.js";
export { LedgerlineError, LedgerlineLimitError, LedgerlinePausedError, LedgerlineUnavailableError, type ApiErrorCode } from "./errors.js";
export type { paths, components } from "./api.js";
