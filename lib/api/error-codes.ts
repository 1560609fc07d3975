/** Every error the API can answer, and its HTTP status. Handlers never pick a status by hand. */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_signature: 400,
  unauthorized: 401,
  ai_access_paused: 402,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  idempotency_conflict: 409,
  already_exists: 409,
  seat_limit_reached: 409,
  length_required: 411,
  payload_too_large: 413,
  quantity_out_of_range: 422,
  unknown_model: 422,
  limit_exceeded: 429,
  user_allocation_exceeded: 429,
  ai_budget_exhausted: 429,
  rate_limited: 429,
  internal_error: 500,
  store_unavailable: 503,
  webhook_not_configured: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
