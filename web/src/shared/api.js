// api.js - the one client of the platform's JSON API for its own pages: same
// origin, the HttpOnly session cookie, JSON in and out. An error comes back as
// an ApiError built from the problem+json body: its status, its detail (a
// sentence for people) and its field errors keyed by field, so a form shows
// each beside its field. Problems come in the page's language (Accept-Language).
import { language } from './i18n.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.fields = {};
    for (const e of problem?.errors ?? []) this.fields[e.field] ??= e.code;
  }
}

/** Calls the API; resolves to the parsed body (null for 204), rejects with
 * ApiError. A Blob (a File) body is sent as it is, with its own type. headers
 * are added to the request's (an Idempotency-Key). */
export async function api(method, path, body, headers = {}) {
  // no-store: staff pages show what is true now, never a cached public answer
  const init = { method, credentials: 'same-origin', cache: 'no-store', headers: { ...headers, accept: 'application/json', 'accept-language': language() } };
  if (body instanceof Blob) {
    init.headers['content-type'] = body.type || 'application/octet-stream';
    init.body = body;
  } else if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, { detail: null });
  }
  const text = await res.text();
  let parsed = null;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!res.ok) throw new ApiError(res.status, parsed);
  return parsed;
}

/** A path with query parameters, empty ones left out. */
export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** What to tell a person about an ApiError: the server's detail, or that it
 * could not be reached. offline is the page's words for the latter. */
export const problemText = (error, offline) => (error.status === 0 || !error.message ? offline : error.message);
