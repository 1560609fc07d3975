import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";

/** What a caller's own request id may look like to be kept: short, and nothing a log or header could be confused by. */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the caller's X-Request-Id when it is a sensible one (a proxy's or the client's), else a new UUID. */
export function requestIdFor(incoming: string | null | undefined): string {
  return incoming && ACCEPTED.test(incoming) ? incoming : randomUUID();
}
