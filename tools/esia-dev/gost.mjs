// gost.mjs - a local stand-in for ESIA's newer protocol, for development and
// tests (OTKLIK_ESIA_PROTOCOL=v2): GET /aas/oauth2/v2/ac and POST
// /aas/oauth2/v3/te check the client's raw GOST R 34.10-2012 signature over
// client_id + scope + timestamp + state + redirect_uri (+ code) and its
// client_certificate_hash (Streebog-256 of the DER certificate, upper-case
// hex); tokens are JWTs signed GOST3410_2012_256 (raw 64 bytes over
// header.payload with Streebog-256); GET /rs/prns/{oid} and
// /rs/prns/{oid}/addrs give the person's name and registration address. All
// GOST work is done by `openssl ... -engine gost` (Debian's
// libengine-gost-openssl), as child processes. No dependencies beyond Node.
//
// Settings (environment): ESIA_GOST_PORT, ESIA_GOST_ISSUER, ESIA_GOST_CLIENT_ID,
// ESIA_GOST_REDIRECT_URIS (comma separated), ESIA_GOST_KEY (its private key),
// ESIA_GOST_KID, ESIA_GOST_CLIENT_CERT (the client's registered certificate).
// Any login name is accepted and becomes the oid (urn:esia:sbj_id).
//
// For tests, POST /__mode {"mode": "..."} spoils the next token answers:
// tampered, other-key, unknown-kid, alg-none, hs256-public-key, rs256,
// wrong-aud, wrong-iss, expired, wrong-nonce, other-person, down, slow.
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac, generateKeyPairSync, randomBytes, randomUUID, sign as rsaSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.ESIA_GOST_PORT ?? 8091);
const issuer = process.env.ESIA_GOST_ISSUER ?? `http://127.0.0.1:${port}/`;
const clientId = process.env.ESIA_GOST_CLIENT_ID ?? 'otklik';
const redirectUris = (process.env.ESIA_GOST_REDIRECT_URIS ?? 'http://127.0.0.1:8080/auth/esia/callback').split(',');
const keyFile = process.env.ESIA_GOST_KEY;
const kid = process.env.ESIA_GOST_KID ?? 'esia-dev';
const clientCert = readFileSync(process.env.ESIA_GOST_CLIENT_CERT, 'utf8');
const work = mkdtempSync(join(tmpdir(), 'esia-gost-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));

const openssl = (args, input) => execFileSync('openssl', [...args], { input, stdio: ['pipe', 'pipe', 'ignore'] });
const der = (pem) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
const streebogHex = (data) => openssl(['dgst', '-engine', 'gost', '-md_gost12_256', '-binary'], data).toString('hex').toUpperCase();
const clientHash = streebogHex(der(clientCert));
const clientPub = join(work, 'client.pub');
writeFileSync(clientPub, openssl(['x509', '-engine', 'gost', '-pubkey', '-noout'], clientCert));
const otherKey = join(work, 'other.key');
writeFileSync(otherKey, openssl(['genpkey', '-engine', 'gost', '-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A']));

function gostSign(data, key = keyFile) {
  return openssl(['dgst', '-engine', 'gost', '-md_gost12_256', '-sign', key], data);
}

function clientSignatureOk(data, secret) {
  if (typeof secret !== 'string' || !/^[A-Za-z0-9_-]+$/.test(secret)) return false;
  const file = join(work, `sig-${randomUUID()}`);
  writeFileSync(file, Buffer.from(secret, 'base64url'));
  try {
    openssl(['dgst', '-engine', 'gost', '-md_gost12_256', '-verify', clientPub, '-signature', file], data);
    return true;
  } catch { return false; } finally { rmSync(file, { force: true }); }
}

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
function jwt(header, claims, key) {
  const body = `${b64(header)}.${b64(claims)}`;
  return `${body}.${gostSign(body, key).toString('base64url')}`;
}

const demoNames = {
  citizen1: ['Иванов', 'Иван', 'Иванович'], citizen2: ['Петрова', 'Мария', 'Сергеевна'],
  citizen3: ['Сидоров', 'Алексей', 'Петрович'], manager1: ['Волков', 'Сергей', 'Николаевич'],
  admin1: ['Новиков', 'Андрей', 'Олегович'],
};
const person = (oid) => demoNames[oid] ?? ['Гражданин', oid, null];

const pending = new Map(); // login form id -> the authorization request
const codes = new Map();   // code -> {oid, nonce, challenge, scope, redirectUri}
const accessTokens = new Map(); // access token -> oid
let mode = 'pass';

// The ESIA timestamp "YYYY.MM.DD HH:MM:SS +0000", within five minutes of now.
function timestampOk(text) {
  const m = /^(\d{4})\.(\d\d)\.(\d\d) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(text ?? '');
  if (!m) return false;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60000;
  const at = Date.UTC(m[1], m[2] - 1, m[3], m[4], m[5], m[6]) - offset;
  return Math.abs(Date.now() - at) < 300000;
}

/** What is wrong with a signed request, or null. */
function clientProblem(p, signed) {
  if (p.get('client_id') !== clientId) return 'unknown client_id';
  if (p.get('client_certificate_hash') !== clientHash) return 'wrong client_certificate_hash';
  if (!timestampOk(p.get('timestamp'))) return 'bad timestamp';
  if (!clientSignatureOk(signed, p.get('client_secret'))) return 'wrong client_secret';
  return null;
}

async function tokens(grant) {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'GOST3410_2012_256', typ: 'JWT', ver: 1, kid };
  const [last, first, middle] = person(grant.oid);
  let id = { iss: issuer, aud: clientId, sub: grant.oid, nonce: grant.nonce, iat: now, nbf: now, exp: now + 3600,
    auth_time: now, amr: 'PWD', family_name: last, given_name: first, ...(middle ? { middle_name: middle } : {}) };
  const access = { iss: issuer, aud: clientId, client_id: clientId, 'urn:esia:sbj_id': grant.oid, scope: grant.scope,
    iat: now, nbf: now, exp: now + 3600 };
  let idHeader = { ...header, sbt: 'id' };
  let key;
  let token;
  switch (mode) {
    case 'other-key': key = otherKey; break;
    case 'unknown-kid': idHeader = { ...idHeader, kid: 'rotated-away' }; key = otherKey; break;
    case 'wrong-aud': id = { ...id, aud: 'another-client' }; break;
    case 'wrong-iss': id = { ...id, iss: 'https://evil.example/' }; break;
    case 'expired': id = { ...id, iat: now - 7200, nbf: now - 7200, exp: now - 3600 }; break;
    case 'wrong-nonce': id = { ...id, nonce: randomBytes(16).toString('hex') }; break;
    case 'alg-none': token = `${b64({ ...idHeader, alg: 'none' })}.${b64(id)}.`; break;
    case 'hs256-public-key': {
      const body = `${b64({ ...idHeader, alg: 'HS256' })}.${b64(id)}`;
      token = `${body}.${createHmac('sha256', readFileSync(keyFile)).update(body).digest('base64url')}`;
      break;
    }
    case 'rs256': {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const body = `${b64({ ...idHeader, alg: 'RS256' })}.${b64(id)}`;
      token = `${body}.${rsaSign('sha256', Buffer.from(body), privateKey).toString('base64url')}`;
      break;
    }
    default: break;
  }
  token ??= jwt(idHeader, id, key);
  if (mode === 'tampered') {
    const [h, , s] = token.split('.');
    token = `${h}.${b64({ ...id, sub: 'citizen2' })}.${s}`;
  }
  const accessClaims = mode === 'other-person' ? { ...access, 'urn:esia:sbj_id': 'citizen2' } : access;
  const accessToken = jwt({ ...header, sbt: 'access' }, accessClaims);
  accessTokens.set(accessToken, grant.oid);
  return { access_token: accessToken, id_token: token, state: grant.state, token_type: 'Bearer', expires_in: 3600 };
}

const html = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(body);
};
const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const readBody = (req) => new Promise((resolve) => {
  let data = '';
  req.on('data', (c) => { data += c; });
  req.on('end', () => resolve(data));
});

function authorize(url, res) {
  const p = url.searchParams;
  const redirectUri = p.get('redirect_uri');
  if (!redirectUris.includes(redirectUri)) return html(res, 400, '<p>unknown redirect_uri</p>');
  const signed = `${p.get('client_id')}${p.get('scope')}${p.get('timestamp')}${p.get('state')}${redirectUri}`;
  const problem = p.get('response_type') !== 'code' ? 'response_type must be code' : clientProblem(p, signed);
  if (problem) {
    const back = new URL(redirectUri);
    back.searchParams.set('error', 'invalid_request');
    back.searchParams.set('error_description', problem);
    back.searchParams.set('state', p.get('state') ?? '');
    res.writeHead(302, { location: back.href });
    return res.end();
  }
  const id = randomUUID();
  pending.set(id, { redirectUri, state: p.get('state'), nonce: p.get('nonce'), scope: p.get('scope'),
    challenge: p.get('code_challenge') });
  return html(res, 200, `<!doctype html><title>ЕСИА (локально)</title><form method="post" action="/aas/oauth2/v2/ac/login/${id}">
<label>Логин <input name="login"></label><label>Пароль <input name="password" type="password"></label><button>Войти</button></form>`);
}

async function login(id, req, res) {
  const request = pending.get(id);
  pending.delete(id);
  const login = new URLSearchParams(await readBody(req)).get('login');
  if (!request || !login) return html(res, 400, '<p>unknown login</p>');
  const code = randomBytes(24).toString('base64url');
  codes.set(code, { ...request, oid: login });
  const back = new URL(request.redirectUri);
  back.searchParams.set('code', code);
  back.searchParams.set('state', request.state);
  res.writeHead(303, { location: back.href });
  return res.end();
}

async function token(req, res) {
  const p = new URLSearchParams(await readBody(req));
  const code = p.get('code');
  const grant = codes.get(code);
  codes.delete(code);
  const signed = `${p.get('client_id')}${p.get('scope')}${p.get('timestamp')}${p.get('state')}${p.get('redirect_uri')}${code}`;
  const problem = p.get('grant_type') !== 'authorization_code' || p.get('token_type') !== 'Bearer' ? 'bad grant'
    : clientProblem(p, signed) ?? (!grant ? 'unknown or used code'
      : grant.redirectUri !== p.get('redirect_uri') ? 'redirect_uri differs'
        : createHash('sha256').update(p.get('code_verifier') ?? '').digest('base64url') !== grant.challenge ? 'wrong code_verifier'
          : null);
  if (problem) return json(res, 400, { error: 'invalid_grant', error_description: problem, state: p.get('state') });
  return json(res, 200, await tokens({ ...grant, state: p.get('state') }));
}

function personData(url, req, res) {
  const m = /^\/rs\/prns\/([^/]+)(\/addrs)?$/.exec(url.pathname);
  const oid = accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
  if (!m || !oid || decodeURIComponent(m[1]) !== oid) return json(res, 401, { error: 'invalid_token' });
  if (m[2]) {
    const elements = oid.startsWith('resident')
      ? [{ type: 'PRG', addressStr: 'Демо-область, г. Демоград, ул. Ленина, д. 1', region: 'Демо-область', city: 'г. Демоград' }]
      : [];
    return json(res, 200, { size: elements.length, elements });
  }
  const [lastName, firstName, middleName] = person(oid);
  return json(res, 200, { lastName, firstName, ...(middleName ? { middleName } : {}), trusted: true });
}

http.createServer(async (req, res) => {
  const url = new URL(req.url, `http://127.0.0.1:${port}`);
  try {
    if (req.method === 'POST' && url.pathname === '/__mode') {
      mode = JSON.parse(await readBody(req)).mode;
      return json(res, 200, { mode });
    }
    if (req.method === 'GET' && url.pathname === '/healthz') return json(res, 200, { ok: true });
    if (req.method === 'GET' && url.pathname === '/aas/oauth2/v2/ac') return authorize(url, res);
    const form = /^\/aas\/oauth2\/v2\/ac\/login\/([0-9a-f-]+)$/.exec(url.pathname);
    if (req.method === 'POST' && form) return await login(form[1], req, res);
    if (req.method === 'POST' && url.pathname === '/aas/oauth2/v3/te') {
      if (mode === 'down') return req.socket.destroy();
      if (mode === 'slow') await new Promise((r) => setTimeout(r, 3000));
      return await token(req, res);
    }
    if (req.method === 'GET' && url.pathname.startsWith('/rs/prns/')) return personData(url, req, res);
    return json(res, 404, { error: 'not_found' });
  } catch (error) {
    console.error(error);
    return json(res, 500, { error: 'server_error' });
  }
}).listen(port, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'esia-dev GOST provider listening', issuer })));
