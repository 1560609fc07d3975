/**
 * The path a request names, in the one spelling the endpoint table uses:
 * without the query, with repeated slashes folded, dot segments resolved
 * (`/api/v1/usage/./check`, `%2e` included), percent-escapes of ordinary
 * characters decoded, and no trailing slash. So every spelling of an
 * endpoint reaches the endpoint, and none reaches a slower path that answers
 * the same route. An escaped slash or backslash is left as it is: it names
 * no endpoint.
 */
export function apiPath(url: string): string {
  const end = url.search(/[?#]/);
  const path = end < 0 ? url : url.slice(0, end);
  // The spelling every client sends: nothing to normalise, and no URL to parse on the hot path.
  if (!/\/\/|\/\.|%|.\/$/.test(path)) return path;
  return normalised(path);
}

function normalised(url: string): string {
  const raw = url.replace(/\/{2,}/g, "/");
  let path: string;
  try {
    path = new URL(raw.startsWith("/") ? raw : `/${raw}`, "http://path.invalid").pathname;
  } catch {
    return raw;
  }
  path = path.replace(/%(?!2[fF]|5[cC])[0-9A-Fa-f]{2}/g, (escape) => {
    const char = String.fromCharCode(parseInt(escape.slice(1), 16));
    return /[A-Za-z0-9._~-]/.test(char) ? char : escape;
  });
  // Decoding may have revealed new dot segments ("%2e" is resolved above, "%2E%2E" too); resolve once more.
  path = new URL(path, "http://path.invalid").pathname;
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}
