// esia.test.mjs - login through the local OpenID provider (oidc-provider),
// every way a login must fail, logout, /api/v1/me, and who may see and change
// an organisation's staff.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, api, assertProblem, freshToken, sql, userId } from './helpers.mjs';
import { Browser } from './browser.mjs';

const login = (returnTo) => `${BASE}/auth/esia/login?return_to=${encodeURIComponent(returnTo)}`;
const sessions = () => Number(sql('SELECT count(*) FROM sessions')[0][0]);
const setMode = (mode) => fetch(`${process.env.OTKLIK_ESIA_PROXY_URL}/__mode`, { method: 'POST', body: JSON.stringify({ mode }) });

describe('login through ESIA (the local OpenID provider)', () => {
  test('citizen1 logs in from the platform: cookie session, /api/v1/me names him', async () => {
    const b = new Browser();
    const callback = await b.loginAtProvider(login(`${BASE}/cabinet/`), 'citizen1');
    assert.match(callback, /[?&]code=/);
    const back = await b.fetch(callback);
    assert.equal(back.status, 303, back.text);
    assert.equal(back.location, `${BASE}/cabinet/`);
    const setCookie = back.headers.getSetCookie().find((c) => c.startsWith('otklik_session='));
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.match(setCookie, /Path=\//);
    const me = await b.fetch(`${BASE}/api/v1/me`, { headers: { accept: 'application/json' } });
    assert.equal(me.status, 200, me.text);
    const body = JSON.parse(me.text);
    assert.deepEqual(body, { id: userId('citizen1'), esia_oid: 'citizen1', name: 'Иванов Иван Иванович', roles: [],
      territory: { code: '99-demograd', name: 'г. Демоград', kind: 'municipality' }, language: 'ru' });
  });

  test('a staff member\'s /api/v1/me lists roles by organisation', async () => {
    const b = new Browser();
    await b.fetch(await b.loginAtProvider(login(`${BASE}/`), 'manager1'));
    const me = JSON.parse((await b.fetch(`${BASE}/api/v1/me`)).text);
    assert.equal(me.esia_oid, 'manager1');
    assert.deepEqual(me.roles, [{ org: 'demo-admin', role: 'manager' }]);
  });

  test('a new person is created by the provider\'s subject, and found again next time', async () => {
    const oid = `newcomer-${Date.now()}`;
    for (let i = 0; i < 2; i++) {
      const b = new Browser();
      await b.fetch(await b.loginAtProvider(login(`${BASE}/`), oid));
      const me = JSON.parse((await b.fetch(`${BASE}/api/v1/me`)).text);
      assert.equal(me.esia_oid, oid);
      assert.equal(me.name, `Гражданин ${oid}`);
    }
    assert.deepEqual(sql(`SELECT count(*) FROM users WHERE esia_oid = '${oid}'`), [['1']]);
  });

  test('a widget on another origin gets a token by postMessage to exactly that origin', async () => {
    const b = new Browser();
    const page = await b.fetch(await b.loginAtProvider(login('http://127.0.0.1:8081/agency/page.html'), 'citizen2'));
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /text\/html/);
    const target = JSON.parse(page.text.match(/postMessage\(m,("[^"]*")\)/)[1]);
    assert.equal(target, 'http://127.0.0.1:8081');
    assert.equal(page.headers.getSetCookie().some((c) => c.startsWith('otklik_session=')), false);
    const nonce = page.headers.get('content-security-policy').match(/'nonce-([0-9a-f]+)'/)[1];
    assert.match(page.text, new RegExp(`<script nonce="${nonce}">`));
    const handed = JSON.parse(page.text.match(/var m=(\{.*?\});/)[1]);
    assert.equal(handed.type, 'otklik:login');
    assert.ok(handed.expires_at - Date.now() / 1000 <= 3700);
    const me = await api('GET', '/api/v1/me', { auth: handed.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.esia_oid, 'citizen2');
  });

  test('logout revokes the session: its token answers 401 everywhere at once', async () => {
    const b = new Browser();
    await b.fetch(await b.loginAtProvider(login(`${BASE}/`), 'admin1'));
    const cookieToken = b.cookie(BASE, 'otklik_session');
    const out = await b.fetch(`${BASE}/auth/logout`, { method: 'POST', headers: { origin: BASE } });
    assert.equal(out.status, 204);
    assert.equal(b.cookie(BASE, 'otklik_session'), undefined);
    assertProblem(await api('GET', '/api/v1/me', { auth: cookieToken }), 401);
    assertProblem(await api('GET', '/api/v1/orgs/demo-admin/staff', { auth: cookieToken }), 401);
    assertProblem(await api('POST', '/api/v1/messages', { auth: cookieToken, body: { rubric_id: 1, text: 'x' } }), 401);
    // bearer tokens are sessions too
    const t = freshToken('citizen3');
    assert.equal((await api('GET', '/api/v1/me', { auth: t })).status, 200);
    const res = await fetch(`${BASE}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${t}` } });
    assert.equal(res.status, 204);
    assertProblem(await api('GET', '/api/v1/me', { auth: t }), 401);
  });

  test('a cookie session cannot be used for writes from another site', async () => {
    const b = new Browser();
    await b.fetch(await b.loginAtProvider(login(`${BASE}/`), 'citizen1'));
    const res = await b.fetch(`${BASE}/auth/logout`, { method: 'POST', headers: { origin: 'https://evil.example', accept: 'application/json' } });
    assert.equal(res.status, 403);
    assert.equal((await b.fetch(`${BASE}/api/v1/me`)).status, 200);
  });
});

describe('a login that must fail ends with no session and a clear answer', () => {
  before(() => setMode('pass'));
  after(() => setMode('pass'));

  for (const returnTo of ['https://evil.example/', 'http://127.0.0.1:8081.evil.example/', 'http://127.0.0.1:8080@evil.example/',
    'javascript:alert(1)', '//evil.example/', '/relative', `${BASE}\\@evil.example`, `http://127.0.0.1:8081/x\r\nSet-Cookie: a=b`]) {
    test(`return_to ${JSON.stringify(returnTo)} answers 400, no redirect`, async () => {
      const res = await fetch(login(returnTo), { redirect: 'manual', headers: { accept: 'application/json' } });
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('location'), null);
      assert.match(res.headers.get('content-type'), /problem\+json/);
    });
  }

  test('a browser gets an HTML error page', async () => {
    const res = await fetch(login('https://evil.example/'), { redirect: 'manual', headers: { accept: 'text/html' } });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Не удалось войти/);
  });

  test('missing state answers 400', async () => {
    const b = new Browser();
    const res = await b.fetch(`${BASE}/auth/esia/callback?code=abc`);
    assert.equal(res.status, 400);
  });

  test('a replayed callback (state used once) answers 400', async () => {
    const b = new Browser();
    const callback = await b.loginAtProvider(login(`${BASE}/`), 'citizen1');
    const loginCookie = b.cookie(BASE, 'otklik_login');
    assert.equal((await b.fetch(callback)).status, 303);
    b.jar(BASE).set('otklik_login', loginCookie); // an attacker keeps the cookie too
    const before = sessions();
    const again = await b.fetch(callback);
    assert.equal(again.status, 400);
    assert.equal(sessions(), before);
  });

  test('a state from another browser answers 400 and creates no session', async () => {
    const victim = new Browser();
    const callback = await victim.loginAtProvider(login(`${BASE}/`), 'citizen1');
    const attacker = new Browser();
    await attacker.fetch(login(`${BASE}/`)); // has a login cookie of its own
    const before = sessions();
    const res = await attacker.fetch(callback);
    assert.equal(res.status, 400);
    assert.equal(sessions(), before);
    assert.equal(attacker.cookie(BASE, 'otklik_session'), undefined);
  });

  test('a replayed code is refused by the provider: 401', async () => {
    const b = new Browser();
    const first = await b.loginAtProvider(login(`${BASE}/`), 'citizen1');
    assert.equal((await b.fetch(first)).status, 303);
    const code = new URL(first).searchParams.get('code');
    const second = new URL(await b.loginAtProvider(login(`${BASE}/`), 'citizen1'));
    second.searchParams.set('code', code);
    const before = sessions();
    const res = await b.fetch(second.href);
    assert.equal(res.status, 401);
    assert.equal(sessions(), before);
  });

  test('the provider\'s own error (the person declined) answers 401', async () => {
    const b = new Browser();
    const callback = new URL(await b.loginAtProvider(login(`${BASE}/`), 'citizen1'));
    callback.searchParams.delete('code');
    callback.searchParams.set('error', 'access_denied');
    assert.equal((await b.fetch(callback.href)).status, 401);
  });

  // OTKLIK_ESIA_PROTOCOL=v2 runs this file against the local GOST provider
  const spoiled = ['tampered', 'other-key', 'unknown-kid', 'alg-none', 'hs256-public-key',
    'wrong-aud', 'wrong-iss', 'expired', 'wrong-nonce',
    ...(process.env.OTKLIK_ESIA_PROTOCOL === 'v2' ? ['rs256', 'other-person'] : ['gost3410'])];
  for (const mode of spoiled) {
    test(`an id_token ${mode} is refused: 401, no session`, async () => {
      const b = new Browser();
      const callback = await b.loginAtProvider(login(`${BASE}/`), 'citizen1');
      await setMode(mode);
      const before = sessions();
      try {
        const res = await b.fetch(callback);
        assert.equal(res.status, 401, res.text);
        assert.match(res.text, /Не удалось войти/);
        assert.equal(b.cookie(BASE, 'otklik_session'), undefined);
        assert.equal(sessions(), before);
      } finally { await setMode('pass'); }
    });
  }

  for (const mode of ['down', 'slow']) {
    test(`the provider ${mode}: a clear error within the timeout, the worker unharmed`, async () => {
      const b = new Browser();
      const callback = await b.loginAtProvider(login(`${BASE}/`), 'citizen1');
      await setMode(mode);
      const started = Date.now();
      try {
        const res = await b.fetch(callback);
        assert.equal(res.status, 502, res.text);
        assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
        assert.equal(b.cookie(BASE, 'otklik_session'), undefined);
      } finally { await setMode('pass'); }
      const ok = new Browser();
      assert.equal((await ok.fetch(await ok.loginAtProvider(login(`${BASE}/`), 'citizen1'))).status, 303);
    });
  }
});

describe('who may read and change an organisation\'s staff', () => {
  const people = [null, 'citizen1', 'moderator1', 'coordinator1', 'executor1', 'manager1', 'curator1', 'admin1', 'executor2', 'manager2'];
  const adminStaff = ['coordinator1', 'executor1', 'manager1', 'curator1', 'admin1'];
  const expectRead = (who) => (who === null ? 401 : adminStaff.includes(who) ? 200 : 404);
  const expectWrite = (who, ok) => (who === null ? 401 : who === 'admin1' ? ok : adminStaff.includes(who) ? 403 : 404);

  for (const who of people) {
    test(`${who ?? 'anonymous'}: /api/v1/me, and demo-admin's staff read ${expectRead(who)}, granted ${expectWrite(who, 201)}`, async () => {
      const me = await api('GET', '/api/v1/me', { auth: who ?? undefined });
      if (who === null) assertProblem(me, 401); else assert.equal(me.body.esia_oid, who);
      const list = await api('GET', '/api/v1/orgs/demo-admin/staff', { auth: who ?? undefined });
      if (expectRead(who) === 200) {
        assert.equal(list.status, 200);
        assert.deepEqual(list.body.items.map((p) => p.user_id).sort(), adminStaff.map(userId).sort());
        const manager = list.body.items.find((p) => p.user_id === userId('manager1'));
        assert.deepEqual(manager, { user_id: userId('manager1'), name: 'Волков Сергей Николаевич', roles: ['manager'] });
      } else assertProblem(list, expectRead(who));
      const grant = { user_id: userId('citizen3'), role: 'curator' };
      const granted = await api('POST', '/api/v1/orgs/demo-admin/staff', { auth: who ?? undefined, body: grant });
      if (expectWrite(who, 201) === 201) assert.equal(granted.status, 201, granted.text);
      else assertProblem(granted, expectWrite(who, 201));
      const revoked = await api('DELETE', '/api/v1/orgs/demo-admin/staff', { auth: who ?? undefined, body: grant });
      if (expectWrite(who, 204) === 204) assert.equal(revoked.status, 204, revoked.text);
      else assertProblem(revoked, expectWrite(who, 204));
    });
  }

  test('an unknown organisation answers 404 like a foreign one', async () => {
    assertProblem(await api('GET', '/api/v1/orgs/no-such-org/staff', { auth: 'admin1' }), 404);
    assertProblem(await api('GET', '/api/v1/orgs/demo-roads/staff', { auth: 'admin1' }), 404);
    assert.equal((await api('GET', '/api/v1/orgs/demo-roads/staff', { auth: 'manager2' })).status, 200);
  });

  test('a grant shows in /api/v1/me at once; revoke takes it away', async () => {
    const body = { user_id: userId('citizen3'), role: 'executor' };
    assert.equal((await api('POST', '/api/v1/orgs/demo-admin/staff', { auth: 'admin1', body })).status, 201);
    assert.deepEqual((await api('GET', '/api/v1/me', { auth: 'citizen3' })).body.roles, [{ org: 'demo-admin', role: 'executor' }]);
    assertProblem(await api('POST', '/api/v1/orgs/demo-admin/staff', { auth: 'admin1', body }), 409);
    assert.equal((await api('DELETE', '/api/v1/orgs/demo-admin/staff', { auth: 'admin1', body })).status, 204);
    assert.deepEqual((await api('GET', '/api/v1/me', { auth: 'citizen3' })).body.roles, []);
    assertProblem(await api('DELETE', '/api/v1/orgs/demo-admin/staff', { auth: 'admin1', body }), 404);
  });

  test('the last admin cannot be revoked', async () => {
    const res = await api('DELETE', '/api/v1/orgs/demo-admin/staff', { auth: 'admin1', body: { user_id: userId('admin1'), role: 'admin' } });
    assertProblem(res, 409);
    assert.deepEqual(sql(`SELECT count(*) FROM staff_roles r JOIN organisations o ON o.id = r.organisation_id WHERE o.code = 'demo-admin' AND r.role = 'admin'`), [['1']]);
  });

  const bad = [
    ['an unknown role', 422, { body: { user_id: 1, role: 'emperor' } }],
    ['an unknown user', 422, { body: { user_id: 999999999, role: 'curator' } }],
    ['a missing field', 422, { body: { role: 'curator' } }],
    ['a wrong type', 422, { body: { user_id: '1', role: 'curator' } }],
    ['malformed JSON', 400, { raw: '{', headers: { 'content-type': 'application/json' } }],
    ['a wrong content type', 415, { raw: 'user_id=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
  ];
  for (const [what, status, options] of bad) {
    test(`a grant with ${what} answers ${status} and changes nothing`, async () => {
      const before = sql('SELECT count(*) FROM staff_roles')[0][0];
      assertProblem(await api('POST', '/api/v1/orgs/demo-admin/staff', { auth: 'admin1', ...options }), status);
      assert.equal(sql('SELECT count(*) FROM staff_roles')[0][0], before);
    });
  }

  test('pagination of the staff list', async () => {
    const first = await api('GET', '/api/v1/orgs/demo-admin/staff?limit=2', { auth: 'curator1' });
    assert.equal(first.body.items.length, 2);
    const second = await api('GET', `/api/v1/orgs/demo-admin/staff?limit=10&cursor=${first.body.next_cursor}`, { auth: 'curator1' });
    assert.equal(second.body.items.length, 3);
    assert.equal(second.body.next_cursor, null);
    assertProblem(await api('GET', '/api/v1/orgs/demo-admin/staff?limit=0', { auth: 'curator1' }), 400);
    assertProblem(await api('GET', '/api/v1/orgs/demo-admin/staff?cursor=abc', { auth: 'curator1' }), 400);
  });
});
