import { z } from "zod";

/**
 * Pages of an org's members, for the admin pages that list them (Admin > Members, Admin > Usage &
 * Limits): 50 a page in the order they joined, so an org of 10,000 renders a page, not 10,000 rows.
 */

export const MEMBERS_PAGE_SIZE = 50;

export interface PagesView {
  /** The page shown, from 1. */
  page: number;
  pageCount: number;
  total: number;
  /** Positions (from 1) of the page's first and last rows; 0 and 0 when there are none. */
  first: number;
  last: number;
}

/** How many pages `total` rows fill: at least one, empty as it may be. */
const pageCountOf = (total: number, pageSize: number) => Math.max(1, Math.ceil(total / pageSize));

/** `page` (from 1) within the pages `total` rows fill: past the end is the last page, nonsense the first. */
function pageWithin(page: number, total: number, pageSize = MEMBERS_PAGE_SIZE): number {
  return Math.min(Math.max(1, Math.floor(page) || 1), pageCountOf(total, pageSize));
}

/** Where `page` starts (rows to skip) once placed within the pages. */
export const pageOffset = (page: number, total: number, pageSize = MEMBERS_PAGE_SIZE) => (pageWithin(page, total, pageSize) - 1) * pageSize;

/** The pager's figures for `page`, whose rows number `rows`. */
export function pagesView(page: number, total: number, rows: number, pageSize = MEMBERS_PAGE_SIZE): PagesView {
  const current = pageWithin(page, total, pageSize);
  const start = (current - 1) * pageSize;
  return { page: current, pageCount: pageCountOf(total, pageSize), total, first: total ? start + 1 : 0, last: start + rows };
}

/** A page's `?page=`: a number from 1, anything else the first page. */
export const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined) });
