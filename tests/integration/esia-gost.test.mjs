// esia-gost.test.mjs - ESIA's newer protocol with GOST, end to end against the
// local GOST provider (tools/esia-dev/gost.mjs, started by stack.sh with keys
// made at start): login workers in OTKLIK_ESIA_PROTOCOL=v2 are started here
// with several configurations and spoken to over FastCGI. The authorization
// request's raw GOST signature and certificate hash, a whole login (the
// person's name and registration address read from /rs/prns), and every way
// it must fail with no session: an RS256 token where GOST is configured, a
// token naming another person, ESIA's certificate not the one configured, a
// wrong certificate hash, a client key ESIA does not know.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, sleep, sql } from './helpers.mjs';

const GOST = process.env.OTKLIK_ESIA_GOST_URL;
const secrets = `${process.env.OTKLIK_VAR}/secrets`;
const dir = mkdtempSync(join(tmpdir(), 'otklik-gost-'));
const workers = [];
const setMode = (mode) => fetch(`${GOST}/__mode`, { method: 'POST', body: JSON.stringify({ mode }) });
const sessions = () => Number(sql('SELECT count(*) FROM sessions')[0][0]);
const openssl = (args, input) => execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'ignore'] });

function gostPair(name) {
  const key = join(dir, `${name}.key`), cert = join(dir, `${name}.crt`);
  openssl(['genpkey', '-engine', 'gost', '-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A', '-out', key]);
  openssl(['req', '-engine', 'gost', '-x509', '-new', '-key', key, '-md_gost12_256', '-days', '1', '-subj', `/CN=${name}`, '-out', cert]);
  return { key, cert };
}

/** A v2 login worker on its own socket (one per name); settings override the local ones. */
async function worker(name, settings = {}) {
  const socket = join(dir, `${name}.sock`);
  if (existsSync(socket)) return socket;
  const child = spawn(`${process.env.OTKLIK_BIN}/otklik-esia`, [], { stdio: 'ignore', env: { ...process.env,
    OTKLIK_LISTEN: socket, OTKLIK_THREADS: '1', OTKLIK_ESIA_PROTOCOL: 'v2', OTKLIK_ESIA_ISSUER: `${GOST}/`,
    OTKLIK_ESIA_AUTHORIZE_URL: `${GOST}/aas/oauth2/v2/ac`, OTKLIK_ESIA_TOKEN_URL: `${GOST}/aas/oauth2/v3/te`,
    OTKLIK_ESIA_PERSON_URL: `${GOST}/rs/prns`, OTKLIK_ESIA_CERT_FILE: `${secrets}/client-gost.crt`,
    OTKLIK_ESIA_KEY_FILE: `${secrets}/client-gost.key`, OTKLIK_ESIA_VERIFY_CERTS: `esia-dev=${secrets}/esia-gost.crt`,
    OTKLIK_ESIA_TIMEOUT_MS: '3000', ...settings } });
  workers.push(child);
  for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(50);
  return socket;
}

/** One FastCGI GET to a worker, with cookies. */
function fastcgi(socket, path, query, cookie = '') {
  const out = spawnSync('cgi-fcgi', ['-bind', '-connect', socket], { encoding: 'utf8', env: {
    REQUEST_METHOD: 'GET', DOCUMENT_URI: path, QUERY_STRING: query, HTTP_COOKIE: cookie,
    HTTP_ACCEPT: 'application/json', REQUEST_ID: 'gost-test' } });
  const [head, body] = out.stdout.split('\r\n\r\n');
  const lines = head.split('\r\n');
  const header = (n) => lines.filter((l) => l.toLowerCase().startsWith(`${n}:`)).map((l) => l.slice(n.length + 1).trim());
  return { status: Number(header('status')[0].split(' ')[0]), location: header('location')[0], cookies: header('set-cookie'), body };
}

const cookieValue = (cookies, name) => cookies.map((c) => c.split(';')[0]).find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

/** Starts a login at the worker, logs in at the provider; the callback's answer. */
async function login(socket, account) {
  const start = fastcgi(socket, '/auth/esia/login', `return_to=${encodeURIComponent(`${BASE}/`)}`);
  assert.equal(start.status, 302, start.body);
  const loginCookie = cookieValue(start.cookies, 'otklik_login');
  let url = start.location;
  const page = await fetch(url, { redirect: 'manual' });
  if (page.status === 200) {
    const action = (await page.text()).match(/action="([^"]+)"/)[1];
    const posted = await fetch(new URL(action, url), { method: 'POST', redirect: 'manual',
      body: new URLSearchParams({ login: account, password: 'any' }) });
    url = posted.headers.get('location');
  } else url = page.headers.get('location');
  const callback = new URL(url);
  const answer = fastcgi(socket, '/auth/esia/callback', callback.search.slice(1), loginCookie);
  return { ...answer, start, callback, loginCookie };
}

before(async () => { await setMode('pass'); });
after(async () => {
  await setMode('pass');
  for (const w of workers) w.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

test('the authorization request: v2/ac, a raw GOST signature over client_id + scope + timestamp + state + redirect_uri, the certificate hash', async () => {
  const socket = await worker('plain');
  const res = fastcgi(socket, '/auth/esia/login', '');
  assert.equal(res.status, 302, res.body);
  const url = new URL(res.location);
  assert.equal(url.pathname, '/aas/oauth2/v2/ac');
  const p = url.searchParams;
  const der = openssl(['x509', '-in', `${secrets}/client-gost.crt`, '-outform', 'DER']);
  const hash = openssl(['dgst', '-engine', 'gost', '-md_gost12_256', '-binary'], der).toString('hex').toUpperCase();
  assert.equal(p.get('client_certificate_hash'), hash);
  assert.match(p.get('client_secret'), /^[A-Za-z0-9_-]{86}$/); // 64 bytes, base64url without padding
  const signed = p.get('client_id') + p.get('scope') + p.get('timestamp') + p.get('state') + p.get('redirect_uri');
  const pub = join(dir, 'client.pub'), sig = join(dir, 'sig');
  writeFileSync(pub, openssl(['x509', '-engine', 'gost', '-pubkey', '-noout', '-in', `${secrets}/client-gost.crt`]));
  writeFileSync(sig, Buffer.from(p.get('client_secret'), 'base64url'));
  const verify = (data) => spawnSync('openssl', ['dgst', '-engine', 'gost', '-md_gost12_256', '-verify', pub, '-signature', sig],
    { input: data, stdio: ['pipe', 'ignore', 'ignore'] }).status === 0;
  assert.ok(verify(signed), 'the signature does not verify');
  assert.ok(!verify(`${signed}x`));
  assert.equal(p.get('access_type'), 'online');
  assert.equal(p.get('code_challenge_method'), 'S256');
});

test('a whole login with GOST: the person named from /rs/prns, the registration address gives the territory', async () => {
  const socket = await worker('plain');
  const oid = `resident-gost-${Date.now()}`;
  const res = await login(socket, oid);
  assert.equal(res.status, 303, res.body);
  const session = cookieValue(res.cookies, 'otklik_session').split('=')[1];
  const me = await fetch(`${BASE}/api/v1/me`, { headers: { authorization: `Bearer ${session}` } });
  const body = await me.json();
  assert.equal(body.esia_oid, oid);
  assert.equal(body.name, `Гражданин ${oid}`);
  assert.equal(body.territory?.code, '99-demograd');
  // the state was used once: the same callback again is refused
  const again = fastcgi(socket, '/auth/esia/callback', res.callback.search.slice(1), res.loginCookie);
  assert.equal(again.status, 400);
});

for (const mode of ['rs256', 'other-person', 'tampered', 'other-key', 'alg-none']) {
  test(`GOST configured, the provider answers ${mode}: 401, no session`, async () => {
    const socket = await worker('plain');
    const before = sessions();
    await setMode(mode);
    try {
      const res = await login(socket, 'citizen1');
      assert.equal(res.status, 401, res.body);
      assert.equal(cookieValue(res.cookies, 'otklik_session'), undefined);
      assert.equal(sessions(), before);
    } finally { await setMode('pass'); }
  });
}

test('ESIA\'s certificate is not the one configured (a foreign certificate): 401, no session', async () => {
  const foreign = gostPair('foreign');
  const socket = await worker('foreign', { OTKLIK_ESIA_VERIFY_CERTS: `esia-dev=${foreign.cert}` });
  const before = sessions();
  const res = await login(socket, 'citizen1');
  assert.equal(res.status, 401, res.body);
  assert.equal(sessions(), before);
});

test('a rotated key: the token\'s kid picks the certificate among several', async () => {
  const old = gostPair('old');
  const socket = await worker('rotated', { OTKLIK_ESIA_VERIFY_CERTS: `esia-old=${old.cert} esia-dev=${secrets}/esia-gost.crt` });
  assert.equal((await login(socket, 'citizen1')).status, 303);
});

test('a wrong certificate hash: ESIA refuses the request, 401, no session', async () => {
  const socket = await worker('hash', { OTKLIK_ESIA_CERT_HASH: 'AB'.repeat(32) });
  const before = sessions();
  const res = await login(socket, 'citizen1');
  assert.equal(res.callback.searchParams.get('error'), 'invalid_request');
  assert.equal(res.status, 401, res.body);
  assert.equal(sessions(), before);
});

test('a client key ESIA does not know: its signature is refused, 401, no session', async () => {
  const stranger = gostPair('stranger');
  const socket = await worker('stranger', { OTKLIK_ESIA_KEY_FILE: stranger.key, OTKLIK_ESIA_CERT_FILE: stranger.cert });
  const res = await login(socket, 'citizen1');
  assert.equal(res.status, 401, res.body);
});

test('v2 without ESIA\'s certificates, or with an RSA key, refuses to start', () => {
  const rsaKey = join(dir, 'rsa.key'), rsaCert = join(dir, 'rsa.crt');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=rsa', '-days', '1', '-keyout', rsaKey, '-out', rsaCert]);
  for (const [settings, said] of [[{ OTKLIK_ESIA_VERIFY_CERTS: '' }, /OTKLIK_ESIA_VERIFY_CERTS/],
    [{ OTKLIK_ESIA_KEY_FILE: rsaKey, OTKLIK_ESIA_CERT_FILE: rsaCert }, /GOST R 34.10-2012/]]) {
    const out = spawnSync(`${process.env.OTKLIK_BIN}/otklik-esia`, [], { encoding: 'utf8', timeout: 5000, env: { ...process.env,
      OTKLIK_LISTEN: join(dir, 'never.sock'), OTKLIK_ESIA_PROTOCOL: 'v2', OTKLIK_ESIA_CERT_FILE: `${secrets}/client-gost.crt`,
      OTKLIK_ESIA_KEY_FILE: `${secrets}/client-gost.key`, OTKLIK_ESIA_VERIFY_CERTS: `${secrets}/esia-gost.crt`, ...settings } });
    assert.equal(out.status, 1);
    assert.match(out.stderr, said);
  }
  assert.ok(readFileSync(`${secrets}/esia-gost.crt`, 'utf8').includes('BEGIN CERTIFICATE'));
});
