// hostile.test.mjs - a property of every endpoint: no input produces a 5xx
// other than 503, and every error is problem+json. Generated hostile requests
// (random bytes in each query parameter, path segment, header and body field,
// random JSON shapes, raw garbage bodies, forged and foreign tokens) go to every
// route of every module's table (read from modules/*/main.c, so a new route is
// covered without touching this file). The seed is printed; OTKLIK_HOSTILE_SEED
// replays a run, OTKLIK_HOSTILE_ROUNDS makes it longer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { BASE, forgeToken, freshToken, sql } from './helpers.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const routes = readdirSync(`${ROOT}modules`).flatMap((module) => {
  const main = readFileSync(`${ROOT}modules/${module}/main.c`, 'utf8');
  return [...main.matchAll(/\{"(GET|POST|PATCH|DELETE|PUT)", "([^"]+)"/g)].map((m) => ({ method: m[1], pattern: m[2] }));
});

// a small deterministic generator (mulberry32), so a failure can be replayed
const seed = Number(process.env.OTKLIK_HOSTILE_SEED ?? Date.now() % 1e9);
let state = seed >>> 0;
function random() {
  state = (state + 0x6D2B79F5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];
const int = (n) => Math.floor(random() * n);
const bytes = (n) => Buffer.from(Array.from({ length: n }, () => int(256)));
const percent = (buffer) => [...buffer].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

const strings = [
  '', ' ', '0', '-1', '1', '2', '9223372036854775807', '9223372036854775808', '99999999999999999999', '1e400',
  'NaN', 'true', 'null', "' OR 1=1 --", '"; DROP TABLE messages; --', '<script>alert(1)</script>', '../../etc/passwd',
  '%00', '\u0000', '\ud800', 'ж'.repeat(3000), 'a'.repeat(70000), 'demo-admin', 'demo-widget', 'accept', 'reject',
  'moderation', 'me', 'http://127.0.0.1:1/', 'javascript:alert(1)', '\r\nSet-Cookie: a=b', '😀', '{}', '[]',
];
/** A hostile text for a query value or path segment, already encoded. */
function hostileEncoded() {
  switch (int(4)) {
    case 0: return percent(bytes(1 + int(12)));
    case 1: return percent(Buffer.from(pick(strings)));
    case 2: return pick(['%', '%z', '%f', '%ff%fe', '%c0%af', '%ed%a0%80', '%f4%90%80%80', '+', '&&', '==', '%26', '%3D']);
    default: return String(pick([0, 1, 2, 3, -5, 2 ** 53, 2 ** 63]));
  }
}
/** A random JSON value, sometimes deep, sometimes huge. */
function json(depth = 0) {
  switch (int(depth > 3 ? 5 : 8)) {
    case 0: return pick(strings);
    case 1: return pick([0, -1, 1, 2, 1.5, 1e308, -1e308, 2 ** 63, Number.MAX_SAFE_INTEGER + 2]);
    case 2: return pick([true, false, null]);
    case 3: return bytes(int(40)).toString('latin1');
    case 4: return int(3) === 0 ? Array.from({ length: 300 }, () => int(1000)) : [];
    case 5: return Array.from({ length: int(5) }, () => json(depth + 1));
    default: return Object.fromEntries(Array.from({ length: int(6) }, () => [pick(fields), json(depth + 1)]));
  }
}
const fields = ['rubric_id', 'text', 'address', 'location', 'lat', 'lon', 'attachment_ids', 'widget_key', 'score',
  'comment', 'decision', 'org', 'reason_code', 'executor_id', 'approve', 'user_id', 'role', 'project_ids', 'answers',
  'title', 'description', 'opens_at', 'closes_at', 'max_choices', 'budget', 'results', 'residents_only', 'cost',
  'projects', 'territory', 'question_id', 'option_ids', 'ж'.repeat(200), '', '__proto__', 'constructor'];
const queryKeys = ['territory', 'org', 'status', 'overdue', 'assignee', 'cursor', 'limit', 'q', 'return_to',
  'state', 'code', 'mode', 'error', 'from', 'to', 'rubric', 'bbox', 'zoom', 'x'];

let tokens;
function hostileHeaders() {
  const h = {};
  switch (int(6)) {
    case 0: break;
    case 1: h.authorization = `Bearer ${pick(tokens)}`; break;
    case 2: h.authorization = pick(['Bearer', 'Bearer ', 'Basic YTpi', `Bearer ${'a'.repeat(5000)}`, 'Bearer a.b.c', `Bearer ${bytes(30).toString('base64url')}`]); break;
    case 3: h.authorization = `Bearer ${forgeToken({ claims: pick([{ sub: '-1' }, { sub: '99999999' }, { exp: 1 }, { scope: 'widget' }, { scope: 'admin' }, { sub: 'x' }]) })}`; break;
    case 4: h.cookie = `otklik_session=${pick(tokens)}`; h.origin = pick(['http://evil.example', BASE, 'null']); break;
    default: h.cookie = pick(['otklik_session=', 'otklik_session', `otklik_session=${'x'.repeat(3000)}`, ';;;=', 'a=b; otklik_session="q"']);
  }
  if (int(3) === 0) h['content-type'] = pick(['application/json', 'text/plain', 'application/json; charset=latin1', 'image/png', 'multipart/form-data; boundary=x', '', 'application/JSON']);
  if (int(4) === 0) h['idempotency-key'] = pick(['', 'k', 'a'.repeat(500), encodeURIComponent('ключ')]);
  if (int(6) === 0) h.origin = pick(['http://127.0.0.1:1', 'https://example.com', 'null', 'http://[::1]']);
  if (int(8) === 0) h.accept = pick(['text/html', '*/*', 'application/json']);
  return h;
}
function hostileBody(h) {
  switch (int(5)) {
    case 0: return undefined;
    case 1: return bytes(int(200));
    case 2: return pick(['{', '[]', '""', '{"a":1,"a":2}', '{"text":"\\u0000"}', '{"x":"\\ud800"}', '['.repeat(5000), '{"rubric_id":1e999}', 'null']);
    default:
      h['content-type'] ??= 'application/json';
      return JSON.stringify(json());
  }
}

// hostile bodies sent with real staff tokens may validly change the demo data
// other tests rely on (the demo widget's settings, say): put them back after
let widgets;
before(() => { widgets = sql("SELECT json_agg(w) FROM widgets w WHERE key LIKE 'demo-%'")[0][0]; });
after(() => {
  sql(`UPDATE widgets w SET allowed_origins = o.allowed_origins, rubric_ids = o.rubric_ids, title = o.title, texts = o.texts
       FROM json_populate_recordset(NULL::widgets, '${widgets.replace(/'/g, "''")}') o WHERE w.key = o.key`);
});

// Open311 answers its errors in its specification's format (modules/open311)
function open311Error(status, type, text) {
  if (/^text\/xml/.test(type)) return text.includes(`<errors><error><code>${status}</code>`);
  try { return JSON.parse(text)[0].code === status; } catch { return false; }
}

test(`no input to any route gives a 5xx other than 503 (seed ${seed})`, { timeout: 600_000 }, async () => {
  tokens = ['citizen1', 'citizen2', 'moderator1', 'coordinator1', 'executor1', 'manager1', 'admin1'].map(freshToken);
  assert.ok(routes.length >= 40, `routes found: ${routes.length}`);
  const rounds = Number(process.env.OTKLIK_HOSTILE_ROUNDS ?? 25);
  const failures = [];
  let sent = 0;
  for (const route of routes) {
    for (let round = 0; round < rounds; round++) {
      const path = route.pattern.replace(/\{(\w+)\}/g, (_, name) =>
        int(3) === 0 ? hostileEncoded() : /id$/.test(name) ? String(pick([1, 2, 3, 5, 8, 13, 1000000])) : pick(['demo-admin', 'demo-roads', 'demo-widget', 'nope']));
      const query = Array.from({ length: int(4) }, () => `${int(5) === 0 ? hostileEncoded() : pick(queryKeys)}=${hostileEncoded()}`).join('&');
      const headers = hostileHeaders();
      const method = int(10) === 0 ? pick(['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD']) : route.method;
      const body = method === 'GET' || method === 'HEAD' ? undefined : hostileBody(headers);
      const url = `${BASE}${path}${query ? `?${query}` : ''}`;
      let res;
      try {
        res = await fetch(url, { method, headers, body, redirect: 'manual' });
      } catch (error) {
        failures.push(`${method} ${url}: ${error.cause?.code ?? error.message}`);
        continue;
      }
      sent++;
      const text = await res.text();
      const type = res.headers.get('content-type') ?? '';
      if (res.status >= 500 && res.status !== 503) failures.push(`${res.status} ${method} ${url} ${JSON.stringify(headers).slice(0, 300)} body ${String(body).slice(0, 200)}: ${text.slice(0, 200)}`);
      // the login's pages answer a browser (Accept: text/html) with an HTML page
      else if (res.status >= 400 && method !== 'HEAD' && !/^application\/problem\+json/.test(type) &&
        !(headers.accept === 'text/html' && path.startsWith('/auth/') && /^text\/html/.test(type)) &&
        !(path.startsWith('/open311/') && open311Error(res.status, type, text))) failures.push(`${res.status} not problem+json (${type}) ${method} ${url}`);
      if (failures.length > 20) break;
    }
  }
  assert.ok(sent > routes.length * rounds * 0.9, `only ${sent} requests were answered`);
  assert.deepEqual(failures, [], `seed ${seed}`);
});
