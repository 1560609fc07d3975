import type { Page, Request } from "@playwright/test";

/**
 * A server action exactly as the browser sent it, to replay from another
 * session: the proof that the action itself, not the page, refuses the caller.
 */
export async function captureAction(page: Page, submit: () => Promise<void>): Promise<Request> {
  const [request] = await Promise.all([page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"])), submit()]);
  return request;
}

export async function replayAction(page: Page, action: Request, edit: (body: string) => string = (body) => body) {
  const headers = action.headers();
  return page.request.post(action.url(), {
    headers: { "next-action": headers["next-action"], "content-type": headers["content-type"], accept: "text/x-component" },
    data: edit(action.postDataBuffer()!.toString()),
  });
}
