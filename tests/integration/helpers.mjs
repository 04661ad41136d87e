// helpers.mjs - shared by the integration tests: the stack's address, tokens,
// direct SQL for checking what was (not) written, and forged tokens.
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { checkRequest, checkResponse } from './openapi.mjs';

export const BASE = process.env.OTKLIK_BASE_URL;
if (!BASE) throw new Error('run through scripts/integration-tests.sh (OTKLIK_BASE_URL unset)');
const BIN = process.env.OTKLIK_BIN;
const PSQL = '/usr/lib/postgresql/15/bin/psql';

/** A new bearer token (a session of its own) for a demo user. */
export function freshToken(oid) {
  return execFileSync(`${BIN}/otklikctl`, ['token', '--esia-oid', oid]).toString().trim();
}

const tokens = new Map();
/** A bearer token for a demo user, from `otklikctl token`. */
export function token(oid) {
  if (!tokens.has(oid)) {
    tokens.set(oid, execFileSync(`${BIN}/otklikctl`, ['token', '--esia-oid', oid]).toString().trim());
  }
  return tokens.get(oid);
}

/** Runs SQL through psql; returns the rows as arrays of strings. */
export function sql(query) {
  const out = execFileSync(PSQL, [process.env.OTKLIK_DATABASE_URL, '-XAtq', '-F', '\t', '-c', query]);
  return out.toString().split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

export function count(table) {
  return Number(sql(`SELECT count(*) FROM ${table}`)[0][0]);
}

/** What a call changes: counts of the intake tables. */
export function snapshot() {
  return { messages: count('messages'), events: count('message_events'), attachments: count('attachments') };
}

function b64url(data) {
  return Buffer.from(data).toString('base64url');
}

let serverKey;
/** A JWT signed like the server's (or not): overrides for header, claims and key. */
export function forgeToken({ header = {}, claims = {}, key, signature } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const h = { alg: 'HS256', typ: 'JWT', ...header };
  const c = { iss: 'otklik', jti: randomBytes(16).toString('hex'), iat: now, exp: now + 600, ...claims };
  c.sub ??= String(userId('citizen1'));
  const body = `${b64url(JSON.stringify(h))}.${b64url(JSON.stringify(c))}`;
  serverKey ??= readFileSync(process.env.OTKLIK_TOKEN_KEY_FILE).toString().trim();
  const secret = key ?? serverKey;
  const sig = signature ?? createHmac('sha256', secret).update(body).digest('base64url');
  return `${body}.${sig}`;
}

export function userId(oid) {
  return Number(sql(`SELECT id FROM users WHERE esia_oid = '${oid.replace(/'/g, "''")}'`)[0][0]);
}

/** fetch, and a GET or HEAD once more when the connection it reused was closed
 * by nginx before any answer (keepalive_timeout ran out while this process was
 * busy, e.g. in a synchronous otklikctl tick): what an HTTP client may do with
 * an idempotent request (RFC 9110, 9.2.2). Anything else fails as it came. */
async function sent(method, url, init) {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (!['GET', 'HEAD'].includes(method) || error.cause?.code !== 'UND_ERR_SOCKET') throw error;
    return fetch(url, init);
  }
}

/**
 * fetch against the stack; JSON bodies are serialised; returns {status, headers, body, text}.
 * Every answer is held to docs/openapi.yaml (openapi.mjs): a mismatch throws.
 */
export async function api(method, path, { body, raw, headers = {}, auth } = {}) {
  const h = { ...headers };
  if (auth) h.authorization = `Bearer ${auth.includes('.') ? auth : token(auth)}`;
  let payload = raw;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    h['content-type'] ??= 'application/json';
  }
  const res = await sent(method, BASE + path, { method, headers: h, body: payload });
  const text = await res.text();
  if (!res.redirected) checkResponse(method, path, res.status, res.headers.get('content-type'), text);
  if (!res.redirected && raw === undefined) checkRequest(method, path, res.status, body);
  let parsed = null;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Asserts a problem+json answer with the given status. */
export function assertProblem(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.body?.status, status);
  assert.equal(typeof res.body.title, 'string');
  assert.equal(typeof res.body.detail, 'string');
  assert.match(res.headers.get('content-language') ?? '', /^(ru|en)$/);
}

/** A leaf rubric of the demo rubricator. */
const rubrics = new Map();
export function rubricId(code = 'roads-potholes') {
  if (!rubrics.has(code)) rubrics.set(code, Number(sql(`SELECT id FROM rubrics WHERE code = '${code}'`)[0][0]));
  return rubrics.get(code);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A text unique to this call (random words), long and clean enough to raise no flags. */
export function cleanText(what = 'Просим разобраться с проблемой во дворе') {
  const syllables = ['ба', 'ве', 'го', 'ду', 'жи', 'зо', 'ка', 'ле', 'ми', 'но', 'пу', 'ры', 'со',
    'ту', 'фа', 'хо', 'це', 'чу', 'ша', 'ял', 'ор', 'ен', 'ск', 'ст'];
  const word = () => Array.from({ length: 3 }, () => syllables[randomBytes(1)[0] % syllables.length]).join('');
  return `${what}: ${Array.from({ length: 10 }, word).join(' ')}.`;
}

export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000154a24f3f0000000049454e44ae426082', 'hex');
