// esia-signed.test.mjs - ESIA's own client authentication: the authorization
// request carries client_secret, a detached CMS signature over scope +
// timestamp + client_id + state, made by the configured signer command (here
// openssl cms with a local RSA certificate; a GOST engine plugs in the same way).
// A login worker is started by hand in that mode and spoken to over FastCGI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'otklik-signed-'));
const key = join(dir, 'key.pem');
const cert = join(dir, 'cert.pem');
const socket = join(dir, 'esia.sock');
let worker;

before(async () => {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=otklik-test',
    '-days', '1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  worker = spawn(`${process.env.OTKLIK_BIN}/otklik-esia`, [], { stdio: 'ignore', env: { ...process.env,
    OTKLIK_LISTEN: socket, OTKLIK_THREADS: '1', OTKLIK_ESIA_CLIENT_AUTH: 'esia_signed',
    OTKLIK_ESIA_SIGNER: `openssl cms -sign -binary -outform DER -noattr -signer ${cert} -inkey ${key}` } });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(50);
});

after(() => {
  worker?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

/** One FastCGI request to the worker, through libfcgi's cgi-fcgi. */
function fastcgi(path, query) {
  const out = spawnSync('cgi-fcgi', ['-bind', '-connect', socket], { encoding: 'utf8', env: {
    REQUEST_METHOD: 'GET', DOCUMENT_URI: path, QUERY_STRING: query, REQUEST_ID: 'signed-test' } });
  const [head, body] = out.stdout.split('\r\n\r\n');
  const headers = Object.fromEntries(head.split('\r\n').map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(headers.status.split(' ')[0]), headers, body };
}

function verifies(signature, content) {
  const sig = join(dir, 'sig.der');
  const data = join(dir, 'data.txt');
  writeFileSync(sig, Buffer.from(signature, 'base64url'));
  writeFileSync(data, content);
  return spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', data,
    '-noverify', '-out', '/dev/null'], { stdio: 'ignore' }).status === 0;
}

test('the authorization request is signed over scope + timestamp + client_id + state', () => {
  const res = fastcgi('/auth/esia/login', `return_to=${encodeURIComponent(process.env.OTKLIK_PUBLIC_ORIGIN + '/')}`);
  assert.equal(res.status, 302, res.body);
  const url = new URL(res.headers.location);
  const p = url.searchParams;
  assert.equal(p.get('access_type'), 'online');
  assert.match(p.get('timestamp'), /^\d{4}\.\d\d\.\d\d \d\d:\d\d:\d\d \+0000$/);
  assert.match(p.get('state'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(p.get('client_secret'), /^[A-Za-z0-9_-]+$/);
  const signed = p.get('scope') + p.get('timestamp') + p.get('client_id') + p.get('state');
  assert.ok(verifies(p.get('client_secret'), signed), 'the signature does not verify');
  assert.ok(!verifies(p.get('client_secret'), signed + 'x'), 'a signature over other data verified');
  assert.equal(p.get('code_challenge_method'), 'S256');
});

test('without a signer command the worker signs in-process with OTKLIK_ESIA_CERT_FILE and _KEY_FILE', async () => {
  const own = `${socket}4`;
  const inProcess = spawn(`${process.env.OTKLIK_BIN}/otklik-esia`, [], { stdio: 'ignore', env: { ...process.env,
    OTKLIK_LISTEN: own, OTKLIK_THREADS: '1', OTKLIK_ESIA_CLIENT_AUTH: 'esia_signed', OTKLIK_ESIA_CERT_FILE: cert,
    OTKLIK_ESIA_KEY_FILE: key } });
  try {
    for (let i = 0; i < 100 && !existsSync(own); i++) await sleep(50);
    const out = spawnSync('cgi-fcgi', ['-bind', '-connect', own], { encoding: 'utf8', env: {
      REQUEST_METHOD: 'GET', DOCUMENT_URI: '/auth/esia/login', QUERY_STRING: '' } });
    const p = new URL(out.stdout.match(/Location: (\S+)/)[1]).searchParams;
    assert.ok(verifies(p.get('client_secret'), p.get('scope') + p.get('timestamp') + p.get('client_id') + p.get('state')));
  } finally { inProcess.kill('SIGTERM'); }
});

test('a failing signer gives a clear 503, not a login without a signature', async () => {
  const broken = spawn(`${process.env.OTKLIK_BIN}/otklik-esia`, [], { stdio: 'ignore', env: { ...process.env,
    OTKLIK_LISTEN: `${socket}2`, OTKLIK_THREADS: '1', OTKLIK_ESIA_CLIENT_AUTH: 'esia_signed', OTKLIK_ESIA_SIGNER: 'false' } });
  try {
    for (let i = 0; i < 100 && !existsSync(`${socket}2`); i++) await sleep(50);
    const out = spawnSync('cgi-fcgi', ['-bind', '-connect', `${socket}2`], { encoding: 'utf8', env: {
      REQUEST_METHOD: 'GET', DOCUMENT_URI: '/auth/esia/login', QUERY_STRING: '', HTTP_ACCEPT: 'application/json' } });
    assert.match(out.stdout, /^Status: 503/);
    assert.doesNotMatch(out.stdout, /Location:/);
  } finally { broken.kill('SIGTERM'); }
});

test('esia_signed without a signer refuses to start', () => {
  const out = spawnSync(`${process.env.OTKLIK_BIN}/otklik-esia`, [], { encoding: 'utf8', env: { ...process.env,
    OTKLIK_LISTEN: `${socket}3`, OTKLIK_ESIA_CLIENT_AUTH: 'esia_signed', OTKLIK_ESIA_SIGNER: '' }, timeout: 5000 });
  assert.equal(out.status, 1);
  assert.match(out.stderr, /OTKLIK_ESIA_SIGNER/);
});
