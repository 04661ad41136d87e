// nginx-limits.test.mjs - write rate limits (nginx/otklik.conf.in): per session
// for writes with a credential, so that citizens behind one address (carrier
// NAT) do not share a limit; per address for writes without one and for
// logins. The stack's own nginx has limits too high to reach, so these tests
// run a private nginx with small ones in front of the same workers.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cleanText, freshToken, rubricId, sql } from './helpers.mjs';
import { startNginx } from './private-nginx.mjs';

// Bursts with nodelay: a session may send three writes at once, an address
// two without a credential, and the next is refused; at one a minute nothing
// is refilled while the tests run. OTKLIK_INTAKE_* (the default of both,
// four writes here) is what an nginx limiting by address alone applied to
// every write.
const USER_LIMIT = 3;
const ANON_LIMIT = 2;
const settings = {
  OTKLIK_INTAKE_RATE: '1r/m', OTKLIK_INTAKE_BURST: '3',
  OTKLIK_USER_RATE: '1r/m', OTKLIK_USER_BURST: String(USER_LIMIT - 1),
  OTKLIK_ANON_RATE: '1r/m', OTKLIK_ANON_BURST: String(ANON_LIMIT - 1),
};

let nginx;
before(async () => { nginx = await startNginx({ settings }); });
after(() => nginx?.stop());

/** A request through the private nginx: {status, headers, body, text}. */
async function call(method, path, { bearer, cookie, body } = {}) {
  const headers = {};
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (cookie) headers.cookie = `otklik_session=${cookie}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(nginx.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed = null;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

const send = (credential = {}) =>
  call('POST', '/api/v1/messages', { ...credential, body: { rubric_id: rubricId(), text: cleanText() } });

function assertRateLimited(res) {
  assert.equal(res.status, 429, res.text);
  assert.equal(res.headers.get('retry-after'), '1');
  assert.match(res.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(res.body.status, 429);
  assert.equal(res.body.type, 'about:blank');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
}

/** New citizens, each with a session of his own. */
function citizens(count) {
  const run = randomBytes(4).toString('hex');
  sql(`INSERT INTO users (esia_oid, name) SELECT 'nat-${run}-' || g, 'Житель ' || g FROM generate_series(1, ${count}) g`);
  return Array.from({ length: count }, (_, i) => freshToken(`nat-${run}-${i + 1}`));
}

describe('writes with a credential are limited per session', () => {
  test('twelve citizens behind one address each send their writes: none is refused', async () => {
    const tokens = citizens(12);
    const answers = await Promise.all(tokens.map(async (bearer) => {
      const statuses = [];
      for (let i = 0; i < USER_LIMIT; i++) statuses.push((await send({ bearer })).status);
      return statuses;
    }));
    // 36 writes from one address, eighteen times what it may send without a credential
    assert.deepEqual(answers.flat(), Array(12 * USER_LIMIT).fill(201));
  });

  test('one session over its rate gets 429 with Retry-After; other sessions and its reads do not', async () => {
    const [bearer, other] = citizens(2);
    for (let i = 0; i < USER_LIMIT; i++) assert.equal((await send({ bearer })).status, 201);
    assertRateLimited(await send({ bearer }));
    assertRateLimited(await call('POST', '/api/v1/votings/1/ballots', { bearer, body: {} }));
    assert.equal((await send({ bearer: other })).status, 201);
    assert.equal((await call('GET', '/api/v1/my/messages', { bearer })).status, 200);
  });

  test('the session cookie is a credential as the bearer header is', async () => {
    const [cookie] = citizens(1);
    for (let i = 0; i < USER_LIMIT; i++) assert.equal((await send({ cookie })).status, 201);
    assertRateLimited(await send({ cookie }));
  });
});

describe('writes without a credential are limited per address', () => {
  test('anonymous writes from one address: the worker refuses two, nginx the third', async () => {
    for (let i = 0; i < ANON_LIMIT; i++) assert.equal((await send()).status, 401);
    assertRateLimited(await send());
    // a header not shaped as a token is no credential: still the address's limit
    assertRateLimited(await send({ bearer: 'not-a-token' }));
    // a citizen's session at the same address is not held back
    const [bearer] = citizens(1);
    assert.equal((await send({ bearer })).status, 201);
  });

  test('logins are limited per address, whatever credential they carry', async () => {
    const tokens = citizens(ANON_LIMIT + 1);
    const statuses = [];
    for (const bearer of tokens) statuses.push((await call('GET', '/auth/esia/login', { bearer })).status);
    assert.ok(statuses.slice(0, ANON_LIMIT).every((s) => s !== 429), statuses.join());
    assert.equal(statuses[ANON_LIMIT], 429);
  });
});

describe('every write of one address under one ceiling', () => {
  let ceiling;
  before(async () => {
    ceiling = await startNginx({ settings: {
      OTKLIK_USER_RATE: '1r/m', OTKLIK_USER_BURST: '100', OTKLIK_ANON_RATE: '1r/m', OTKLIK_ANON_BURST: '100',
      OTKLIK_ADDRESS_RATE: '1r/m', OTKLIK_ADDRESS_BURST: '4',
    } });
  });
  after(() => ceiling?.stop());

  test('forged credentials, each a bucket of its own, still meet the address\'s ceiling', async () => {
    const statuses = [];
    for (let i = 0; i < 8; i++) {
      const forged = `${randomBytes(12).toString('base64url')}.${randomBytes(12).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
      const res = await fetch(`${ceiling.base}/api/v1/messages`, {
        method: 'POST', headers: { authorization: `Bearer ${forged}`, 'content-type': 'application/json' },
        body: JSON.stringify({ rubric_id: rubricId(), text: cleanText() }),
      });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429]);
  });
});
