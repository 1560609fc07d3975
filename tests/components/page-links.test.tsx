import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PageLinks } from "@/components/ui/page-links";
import { pagesView } from "@/lib/pagination";

const render = (page: number, total: number, rows: number) =>
  renderToString(<PageLinks pages={pagesView(page, total, rows)} href={(n) => `/admin/members?page=${n}`} />);

describe("links between pages of members", () => {
  it("say where the page sits and link to the pages either side", () => {
    const middle = render(2, 120, 50);
    expect(middle).toContain("Members 51–100 of 120");
    expect(middle).toMatch(/href="\/admin\/members\?page=1"[^>]*>Previous/);
    expect(middle).toMatch(/href="\/admin\/members\?page=3"[^>]*>Next/);
  });

  it("offer no Previous on the first page, no Next on the last, and nothing for one page", () => {
    expect(render(1, 120, 50)).not.toContain("Previous");
    const last = render(9, 120, 20); // past the end: the last page
    expect(last).toContain("Members 101–120 of 120");
    expect(last).not.toContain("Next");
    expect(render(1, 12, 12)).toBe("");
  });
});
